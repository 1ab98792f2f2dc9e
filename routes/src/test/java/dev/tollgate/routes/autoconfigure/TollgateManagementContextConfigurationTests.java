package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.endpoint.OperatorAccessFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator check in front of the {@code tollgate} endpoint, and where it looks for
 * the endpoint.
 */
class TollgateManagementContextConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(RoutesContextRunners.BASE)
		.withConfiguration(RoutesContextRunners.ROUTES)
		.withUserConfiguration(RoutesContextRunners.GatewayBeans.class, TollgateManagementContextConfiguration.class)
		.withPropertyValues("tollgate.store=memory");

	@Test
	void endpointPathWhenDefaultsThenUnderActuator() {
		assertThat(TollgateManagementContextConfiguration.endpointPath(new WebEndpointProperties()))
			.isEqualTo("/actuator/tollgate");
	}

	@Test
	void endpointPathWhenBasePathAndPathMappingSetThenBoth() {
		WebEndpointProperties endpoints = new WebEndpointProperties();
		endpoints.setBasePath("/manage");
		endpoints.getPathMapping().put("tollgate", "operators");
		assertThat(TollgateManagementContextConfiguration.endpointPath(endpoints)).isEqualTo("/manage/operators");
		endpoints.setBasePath("/");
		assertThat(TollgateManagementContextConfiguration.endpointPath(endpoints)).isEqualTo("/operators");
	}

	@Test
	void operatorCheckWhenReactiveWebContextThenPresent() {
		this.runner.run((context) -> assertThat(context).getBean("tollgateOperatorAccessFilter")
			.isInstanceOf(OperatorAccessFilter.class));
	}

	@Test
	void operatorCheckWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(OperatorAccessFilter.class));
	}

}
