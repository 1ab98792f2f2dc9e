package dev.tollgate.backend.autoconfigure;

import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.security.TollgateAuthentication;
import dev.tollgate.backend.servlet.AssertionSecurity;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderNotFoundException;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * A Spring MVC service (servlet stack) authenticated by the gateway's assertion. Without
 * a {@link SecurityFilterChain} of the application's own, it declares one: stateless (no
 * session, no saved request), no CSRF, form login, Basic or logout page, every path but
 * {@code tollgate.backend.public-paths} (and the container's error dispatch) needs a
 * valid assertion, refusals are problem+json. With the application's own chain,
 * {@link AssertionSecurity} is the bean it adds in one line. {@code @PreAuthorize} works
 * out of the box: method security is enabled unless the application enabled it itself.
 */
@AutoConfiguration(after = TollgateBackendAutoConfiguration.class, beforeName = {
		"org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
		"org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration" })
@ConditionalOnClass({ HttpSecurity.class, SecurityFilterChain.class, DispatcherType.class })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnBooleanProperty(name = "tollgate.backend.enabled", matchIfMissing = true)
public class TollgateBackendServletAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AssertionSecurity tollgateAssertionSecurity(AssertionVerifier verifier, TollgateBackendProperties properties) {
		return new AssertionSecurity(verifier, properties.headerName());
	}

	@Bean
	@ConditionalOnMissingBean(SecurityFilterChain.class)
	SecurityFilterChain tollgateBackendSecurityFilterChain(HttpSecurity http, AssertionSecurity assertion,
			TollgateBackendProperties properties) throws Exception {
		String[] publicPaths = properties.publicPaths().toArray(String[]::new);
		return http.authorizeHttpRequests((requests) -> {
			// a failed request's error page is rendered for the request that was already
			// let in or refused
			requests.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
			if (publicPaths.length > 0) {
				requests.requestMatchers(publicPaths).permitAll();
			}
			requests.anyRequest().authenticated();
		})
			.addFilterBefore(assertion.filter(), BasicAuthenticationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(assertion.entryPoint())
				.accessDeniedHandler(assertion.accessDeniedHandler()))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(AbstractHttpConfigurer::disable)
			.csrf(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.build();
	}

	/**
	 * With the starter's own chain and no authentication of the application's, the
	 * assertion is the only way in: without this, Spring Boot would make up a user with a
	 * generated password that nothing here accepts, and log it as if it were needed.
	 * Declared in a nested class so that it is registered before the starter's chain.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean({ SecurityFilterChain.class, AuthenticationManager.class, AuthenticationProvider.class,
			UserDetailsService.class, AuthenticationManagerResolver.class })
	static class AssertionOnlyAuthenticationConfiguration {

		@Bean
		AuthenticationManager tollgateAssertionOnlyAuthenticationManager() {
			return (authentication) -> {
				if (authentication instanceof TollgateAuthentication) {
					return authentication;
				}
				throw new ProviderNotFoundException("Only the gateway's assertion authenticates here");
			};
		}

	}

	/**
	 * {@code @EnableMethodSecurity} unless the application has it (any of its variants)
	 * already.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(
			type = "org.springframework.security.config.annotation.method.configuration.AuthorizationProxyConfiguration")
	@EnableMethodSecurity
	static class MethodSecurityConfiguration {

	}

}
