package dev.tollgate.backend.autoconfigure;

import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.jwks.JwkSetCache;
import dev.tollgate.backend.reactive.ServerAssertionSecurity;
import dev.tollgate.backend.servlet.AssertionSecurity;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.userdetails.ReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class TollgateBackendAutoConfigurationTests {

	private static final String[] REQUIRED = { "tollgate.backend.jwks-uri=http://127.0.0.1:9/jwks",
			"tollgate.backend.audience=orders-service" };

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TollgateBackendAutoConfiguration.class, TollgateBackendServletAutoConfiguration.class,
					TollgateBackendReactiveAutoConfiguration.class, SecurityAutoConfiguration.class,
					UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	private final ReactiveWebApplicationContextRunner reactive = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateBackendAutoConfiguration.class,
				TollgateBackendServletAutoConfiguration.class, TollgateBackendReactiveAutoConfiguration.class,
				SecurityAutoConfiguration.class, ReactiveUserDetailsServiceAutoConfiguration.class,
				ReactiveWebSecurityAutoConfiguration.class));

	@Test
	void servletWhenConfiguredThenStarterChainAndNoMadeUpUser() {
		this.servlet.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(JwkSetCache.class).hasSingleBean(AssertionVerifier.class);
			assertThat(context).hasSingleBean(AssertionSecurity.class).doesNotHaveBean(ServerAssertionSecurity.class);
			assertThat(context.getBeanNamesForType(SecurityFilterChain.class))
				.containsExactly("tollgateBackendSecurityFilterChain");
			assertThat(context).doesNotHaveBean(UserDetailsService.class);
		});
	}

	@Test
	void servletWhenWebFluxAbsentThenStarterStillWorks() {
		this.servlet.withClassLoader(new FilteredClassLoader("reactor.", "org.springframework.web.reactive."))
			.withPropertyValues(REQUIRED)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(AssertionSecurity.class)
				.hasBean("tollgateBackendSecurityFilterChain"));
	}

	@Test
	void servletWhenApplicationHasUsersThenItsAuthenticationKept() {
		this.servlet.withPropertyValues(REQUIRED).withUserConfiguration(Users.class).run((context) -> {
			assertThat(context).hasSingleBean(UserDetailsService.class);
			assertThat(context).doesNotHaveBean(AuthenticationManager.class);
		});
	}

	@Test
	void servletWhenDisabledThenNoTollgateBeanAndNothingRequired() {
		this.servlet.withPropertyValues("tollgate.backend.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(JwkSetCache.class)
				.doesNotHaveBean(AssertionSecurity.class);
			assertThat(context.getBeanNamesForType(SecurityFilterChain.class))
				.doesNotContain("tollgateBackendSecurityFilterChain");
		});
	}

	@Test
	void servletWhenJwksUriMissingThenStartupFailsWithOneMessageNamingKeyAndFix() {
		this.servlet.withPropertyValues("tollgate.backend.audience=orders-service").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Invalid Tollgate backend configuration: 'tollgate.backend.jwks-uri' is not set.");
			assertThat(analysis.getAction()).isEqualTo("Fix 'tollgate.backend.jwks-uri': set it to the gateway's "
					+ "assertion keys, e.g. http://gateway:8080/.well-known/tollgate-assertion-keys.json.");
		});
	}

	@Test
	void reactiveWhenAudienceMissingThenStartupFailsWithOneMessageNamingKeyAndFix() {
		this.reactive.withPropertyValues("tollgate.backend.jwks-uri=http://gateway/jwks").run((context) -> {
			FailureAnalysis analysis = analyze(context.getStartupFailure());
			assertThat(analysis.getDescription())
				.isEqualTo("Invalid Tollgate backend configuration: 'tollgate.backend.audience' is not set.");
			assertThat(analysis.getAction()).startsWith("Fix 'tollgate.backend.audience': set it to this service's "
					+ "audience, the 'audience' metadata of its routes at the gateway");
		});
	}

	@Test
	void reactiveWhenConfiguredThenStarterChainAndNoMadeUpUser() {
		this.reactive.withPropertyValues(REQUIRED).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(ServerAssertionSecurity.class).doesNotHaveBean(AssertionSecurity.class);
			assertThat(context.getBeanNamesForType(SecurityWebFilterChain.class))
				.containsExactly("tollgateBackendSecurityWebFilterChain");
			assertThat(context).doesNotHaveBean(ReactiveUserDetailsService.class);
		});
	}

	@Test
	void reactiveWhenServletApiAbsentThenStarterStillWorks() {
		this.reactive.withClassLoader(new FilteredClassLoader("jakarta.servlet.", "org.springframework.web.servlet."))
			.withPropertyValues(REQUIRED)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ServerAssertionSecurity.class)
				.hasBean("tollgateBackendSecurityWebFilterChain"));
	}

	@Test
	void beansWhenApplicationDeclaresItsOwnThenStarterBacksOff() {
		this.servlet.withPropertyValues(REQUIRED).withUserConfiguration(OwnVerifier.class).run((context) -> {
			assertThat(context).hasSingleBean(AssertionVerifier.class);
			assertThat(context.getBean(AssertionVerifier.class)).isSameAs(context.getBean("ownVerifier"));
		});
	}

	private static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new TollgateBackendConfigurationFailureAnalyzer().analyze(failure);
		assertThat(analysis).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class Users {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("ops").password("{noop}secret").roles("ops").build());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnVerifier {

		@Bean
		AssertionVerifier ownVerifier(JwkSetCache keys) {
			return new AssertionVerifier(
					new dev.tollgate.backend.assertion.AssertionSettings("tollgate", "x", java.time.Duration.ZERO),
					keys, java.time.Clock.systemUTC());
		}

	}

}
