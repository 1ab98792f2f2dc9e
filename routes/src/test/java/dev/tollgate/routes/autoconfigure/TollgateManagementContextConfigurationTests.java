package dev.tollgate.routes.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the operator check looks for the {@code tollgate} endpoint. */
class TollgateManagementContextConfigurationTests {

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

}
