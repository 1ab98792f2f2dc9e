package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.filter.RefreshCookieHeadersFilter;
import dev.tollgate.routes.filter.RequireRolesGatewayFilterFactory;
import dev.tollgate.routes.filter.UserOrAddressKeyResolver;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateRouteFiltersAutoConfiguration}: RequireRoles, the refresh cookie's
 * removal, the rate-limit key.
 */
class TollgateRouteFiltersAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenTollgateOnThenPresentUnderTheirNames() {
		this.runner.run((context) -> {
			assertThat(context).getBean("requireRolesGatewayFilterFactory")
				.isInstanceOf(RequireRolesGatewayFilterFactory.class);
			assertThat(context).getBean("tollgateRefreshCookieHeadersFilter")
				.isInstanceOf(RefreshCookieHeadersFilter.class);
			assertThat(context).getBean("tollgateKeyResolver").isInstanceOf(UserOrAddressKeyResolver.class);
		});
	}

	@Test
	void keyResolverWhenTheApplicationHasAnyThenItsOwn() {
		KeyResolver own = (exchange) -> Mono.just("everyone");
		this.runner.withBean("ownKeys", KeyResolver.class, () -> own)
			.run((context) -> assertThat(context).getBeanNames(KeyResolver.class).containsExactly("ownKeys"));
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RequireRolesGatewayFilterFactory.class);
			assertThat(context).doesNotHaveBean(RefreshCookieHeadersFilter.class);
			assertThat(context).doesNotHaveBean(KeyResolver.class);
		});
	}

}
