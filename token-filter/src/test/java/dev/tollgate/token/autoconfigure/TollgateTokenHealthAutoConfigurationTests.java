package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.health.SigningKeysHealthIndicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code tollgate} health component: there by default, off with its indicator or with
 * Tollgate.
 */
class TollgateTokenHealthAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TollgateTokenAutoConfiguration.class, TollgateTokenHealthAutoConfiguration.class));

	@Test
	void contextWhenDefaultsThenTollgateHealthIsUpWithTheKeys() {
		this.runner.withPropertyValues("tollgate.signing.algorithm=EdDSA").run((context) -> {
			assertThat(context).getBean("tollgateHealthIndicator").isInstanceOf(SigningKeysHealthIndicator.class);
			Health health = context.getBean("tollgateHealthIndicator", HealthIndicator.class).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("algorithm", "EdDSA").containsEntry("ephemeral", true);
		});
	}

	@Test
	void contextWhenIndicatorDisabledThenNoTollgateHealth() {
		this.runner.withPropertyValues("management.health.tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("tollgateHealthIndicator"));
	}

	@Test
	void contextWhenDefaultIndicatorsDisabledThenNoTollgateHealth() {
		this.runner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("tollgateHealthIndicator"));
	}

	@Test
	void contextWhenNoHealthSupportThenNoTollgateHealth() {
		this.runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean("tollgateHealthIndicator");
		});
	}

	@Test
	void contextWhenApplicationHasItsOwnIndicatorThenItWins() {
		HealthIndicator own = () -> Health.down().build();
		this.runner.withBean("tollgateHealthIndicator", HealthIndicator.class, () -> own)
			.run((context) -> assertThat(context.getBean("tollgateHealthIndicator")).isSameAs(own));
	}

	@Test
	void contextWhenTollgateDisabledThenNoTollgateHealth() {
		this.runner.withPropertyValues("tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("tollgateHealthIndicator"));
	}

}
