package dev.tollgate.app;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The operators' endpoint with Actuator on a management port of its own, as
 * {@code gateway-app} runs it.
 */
class OperatorSessionsIT extends OperatorSessionsITSupport {

	@LocalManagementPort
	int managementPort;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("management.server.port", () -> "0");
	}

	@Override
	String managementBaseUrl() {
		return "http://127.0.0.1:" + this.managementPort;
	}

	@Override
	WebTestClient management() {
		return WebTestClient.bindToServer().baseUrl(managementBaseUrl()).build();
	}

	@Test
	void operatorEndpointWhenAskedOnTheGatewaysPortThenNotFound() {
		this.client.get().uri("/actuator/tollgate/sessions/u-1001").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/health").exchange().expectStatus().isNotFound();
	}

}
