package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.health.EndedSessionsReadinessIndicator;
import dev.tollgate.routes.health.StoreHealthIndicator;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateRoutesHealthAutoConfiguration}: the store's health component and the
 * readiness indicator.
 */
class TollgateRoutesHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenTollgateOnThenStoreComponentAndReadinessUnderBootsName() {
		this.runner.run((context) -> {
			assertThat(context).getBean("tollgateStoreHealthIndicator").isInstanceOf(StoreHealthIndicator.class);
			assertThat(context).getBean("readinessStateHealthIndicator")
				.isInstanceOf(EndedSessionsReadinessIndicator.class);
			assertThat(context.getBean(StoreHealthIndicator.class).health().block().getDetails()).containsEntry("store",
					"memory");
		});
	}

	@Test
	void storeComponentWhenItsIndicatorIsDisabledThenAbsent() {
		this.runner.withPropertyValues("management.health.tollgatestore.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StoreHealthIndicator.class));
	}

	@Test
	void storeComponentWhenHealthIndicatorsAreOffByDefaultThenAbsent() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(StoreHealthIndicator.class));
	}

	@Test
	void storeComponentWhenTheApplicationHasOneOfTheSameNameThenThatOne() {
		ReactiveHealthIndicator own = () -> Mono.just(Health.up().build());
		this.runner.withBean("tollgateStoreHealthIndicator", ReactiveHealthIndicator.class, () -> own)
			.run((context) -> {
				assertThat(context.getBean("tollgateStoreHealthIndicator")).isSameAs(own);
				assertThat(context).doesNotHaveBean(StoreHealthIndicator.class);
			});
	}

	@Test
	void readinessWhenBootsReadinessStateIndicatorIsDisabledThenAbsent() {
		this.runner.withPropertyValues("management.health.readinessstate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EndedSessionsReadinessIndicator.class));
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(StoreHealthIndicator.class);
			assertThat(context).doesNotHaveBean(EndedSessionsReadinessIndicator.class);
		});
	}

}
