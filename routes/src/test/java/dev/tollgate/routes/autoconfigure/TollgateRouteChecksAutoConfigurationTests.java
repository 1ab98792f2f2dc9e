package dev.tollgate.routes.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateRouteChecksAutoConfiguration}: the route checks and the start-up
 * summary.
 */
class TollgateRouteChecksAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenTollgateOnThenPresentAndTheSummarySaysTheStore() {
		this.runner.run((context) -> {
			assertThat(context).getBean("tollgateRouteChecks").isInstanceOf(RouteChecks.class);
			assertThat(context.getBean("tollgateStartupSummary", StartupSummary.class).line()).contains("store=memory",
					"refresh=/auth/refresh", "jwks=/.well-known/jwks.json");
		});
	}

	@Test
	void routeChecksWhenTheApplicationHasABeanOfTheSameNameThenThatOne() {
		SmartInitializingSingleton own = () -> {
		};
		this.runner.withBean("tollgateRouteChecks", SmartInitializingSingleton.class, () -> own).run((context) -> {
			assertThat(context.getBean("tollgateRouteChecks")).isSameAs(own);
			assertThat(context).doesNotHaveBean(RouteChecks.class);
		});
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RouteChecks.class);
			assertThat(context).doesNotHaveBean(StartupSummary.class);
		});
	}

}
