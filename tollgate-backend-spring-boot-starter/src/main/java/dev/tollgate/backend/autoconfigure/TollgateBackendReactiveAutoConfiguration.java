package dev.tollgate.backend.autoconfigure;

import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.reactive.ServerAssertionSecurity;
import dev.tollgate.backend.security.TollgateAuthentication;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.authentication.ReactiveAuthenticationManager;
import org.springframework.security.authentication.ReactiveAuthenticationManagerResolver;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * A WebFlux service authenticated by the gateway's assertion. Without a
 * {@link SecurityWebFilterChain} of the application's own, it declares one: stateless (no
 * session-backed security context, no saved request), no CSRF, form login, Basic or
 * logout page, every path but {@code tollgate.backend.public-paths} needs a valid
 * assertion, refusals are problem+json. With the application's own chain,
 * {@link ServerAssertionSecurity} is the bean it adds in one line. {@code @PreAuthorize}
 * on methods returning a {@link Mono} or a {@code Flux} works out of the box: reactive
 * method security is enabled unless the application enabled method security itself.
 */
@AutoConfiguration(after = TollgateBackendAutoConfiguration.class, beforeName = {
		"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration" })
@ConditionalOnClass({ ServerHttpSecurity.class, SecurityWebFilterChain.class, Mono.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnBooleanProperty(name = "tollgate.backend.enabled", matchIfMissing = true)
public class TollgateBackendReactiveAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerAssertionSecurity tollgateServerAssertionSecurity(AssertionVerifier verifier,
			TollgateBackendProperties properties) {
		return new ServerAssertionSecurity(verifier, properties.headerName());
	}

	@Bean
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	SecurityWebFilterChain tollgateBackendSecurityWebFilterChain(ServerHttpSecurity http,
			ServerAssertionSecurity assertion, TollgateBackendProperties properties) {
		String[] publicPaths = properties.publicPaths().toArray(String[]::new);
		return http.authorizeExchange((exchanges) -> {
			if (publicPaths.length > 0) {
				exchanges.pathMatchers(publicPaths).permitAll();
			}
			exchanges.anyExchange().authenticated();
		})
			.addFilterAt(assertion.webFilter(), SecurityWebFiltersOrder.AUTHENTICATION)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(assertion.entryPoint())
				.accessDeniedHandler(assertion.accessDeniedHandler()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
			.logout(ServerHttpSecurity.LogoutSpec::disable)
			.build();
	}

	/**
	 * With the starter's own chain and no authentication of the application's, the
	 * assertion is the only way in: without this, Spring Boot would make up a user with a
	 * generated password that nothing here accepts, and log it as if it were needed.
	 * Declared in a nested class so that it is registered before the starter's chain.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean({ SecurityWebFilterChain.class, ReactiveAuthenticationManager.class,
			ReactiveUserDetailsService.class, ReactiveAuthenticationManagerResolver.class })
	static class AssertionOnlyAuthenticationConfiguration {

		@Bean
		ReactiveAuthenticationManager tollgateAssertionOnlyAuthenticationManager() {
			return (authentication) -> (authentication instanceof TollgateAuthentication) ? Mono.just(authentication)
					: Mono.error(new ProviderNotFoundException("Only the gateway's assertion authenticates here"));
		}

	}

	/**
	 * {@code @EnableReactiveMethodSecurity} unless the application has method security
	 * enabled already.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(
			type = "org.springframework.security.config.annotation.method.configuration.AuthorizationProxyConfiguration")
	@EnableReactiveMethodSecurity
	static class MethodSecurityConfiguration {

	}

}
