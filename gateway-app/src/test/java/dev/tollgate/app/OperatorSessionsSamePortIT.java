package dev.tollgate.app;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The operators' endpoint with Actuator on the gateway's own port
 * ({@code management.server.port} unset): the same operator check, in the main context.
 */
class OperatorSessionsSamePortIT extends OperatorSessionsITSupport {

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		// application.yml sets 9091; empty means unset: Actuator then shares the server's
		// port
		registry.add("management.server.port", () -> "");
	}

	@Override
	String managementBaseUrl() {
		return "http://127.0.0.1:" + port();
	}

	@Override
	WebTestClient management() {
		return this.client;
	}

	@Test
	void actuatorWhenManagementPortUnsetThenServedOnTheGatewaysPort() {
		this.client.get().uri("/actuator/health").exchange().expectStatus().isOk();
	}

}
