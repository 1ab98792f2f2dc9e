package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.endpoint.SessionsActuatorEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateOperatorEndpointAutoConfiguration}: the {@code tollgate} endpoint, when
 * it is available.
 */
class TollgateOperatorEndpointAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void endpointWhenExposedOnTheWebThenPresent() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=health,tollgate")
			.run((context) -> assertThat(context).getBean("tollgateSessionsActuatorEndpoint")
				.isInstanceOf(SessionsActuatorEndpoint.class));
	}

	@Test
	void endpointWhenNotExposedThenAbsent() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(SessionsActuatorEndpoint.class));
	}

	@Test
	void endpointWhenExposedButItsAccessIsNoneThenAbsent() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=tollgate",
					"management.endpoint.tollgate.access=NONE")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionsActuatorEndpoint.class));
	}

	@Test
	void endpointWhenTheApplicationHasItsOwnThenThatOne() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=tollgate")
			.withBean("ownEndpoint", SessionsActuatorEndpoint.class, () -> new SessionsActuatorEndpoint(null, null))
			.run((context) -> assertThat(context).getBeanNames(SessionsActuatorEndpoint.class)
				.containsExactly("ownEndpoint"));
	}

	@Test
	void endpointWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=tollgate", "tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionsActuatorEndpoint.class));
	}

}
