package dev.tollgate.token.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pass-through filter chain: there when Spring Security is, unless the application
 * has its own chain.
 */
class TollgateSpringSecurityAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateSpringSecurityAutoConfiguration.class));

	@Test
	void contextWhenSpringSecurityThenTollgateChain() {
		this.runner.withUserConfiguration(WebFluxSecurity.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityWebFilterChain.class);
			assertThat(context).hasBean("tollgateSecurityWebFilterChain");
		});
	}

	@Test
	void contextWhenApplicationHasItsOwnChainThenItWins() {
		this.runner.withUserConfiguration(WebFluxSecurity.class, OwnChain.class).run((context) -> {
			assertThat(context).hasSingleBean(SecurityWebFilterChain.class);
			assertThat(context).hasBean("myChain").doesNotHaveBean("tollgateSecurityWebFilterChain");
		});
	}

	@Test
	void contextWhenNoSpringSecurityThenNoChain() {
		this.runner.withClassLoader(new FilteredClassLoader(ServerHttpSecurity.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("tollgateSecurityWebFilterChain");
		});
	}

	@Test
	void contextWhenNotReactiveThenNoChain() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TollgateSpringSecurityAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean("tollgateSecurityWebFilterChain");
			});
	}

	@Test
	void contextWhenTollgateDisabledThenNoChain() {
		// without a ServerHttpSecurity bean, Tollgate's chain could not even be built:
		// the context starts only if it is off
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("tollgateSecurityWebFilterChain");
		});
	}

	/**
	 * What Spring Boot's reactive security auto-configuration gives an application: a
	 * {@link ServerHttpSecurity}.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableWebFluxSecurity
	static class WebFluxSecurity {

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnChain {

		@Bean
		SecurityWebFilterChain myChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated()).build();
		}

	}

}
