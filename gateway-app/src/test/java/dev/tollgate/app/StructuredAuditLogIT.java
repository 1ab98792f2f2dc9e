package dev.tollgate.app;

import java.time.Duration;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With Spring Boot's structured logging in ECS, each audit line is one JSON object
 * carrying {@code event.action}, {@code user.id} / {@code user.name}, {@code client.ip}
 * and {@code tollgate.session_id} as fields; never the password.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "logging.structured.format.console=ecs", "tollgate.store=memory" })
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class StructuredAuditLogIT {

	static final WireMockServer userService = new WireMockServer(
			wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));

	@Autowired
	WebTestClient client;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		if (!userService.isRunning()) {
			userService.start();
			userService.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(401)));
		}
		String route = "spring.cloud.gateway.server.webflux.routes[0]";
		registry.add(route + ".id", () -> "login");
		registry.add(route + ".uri", () -> "http://127.0.0.1:" + userService.port());
		registry.add(route + ".predicates[0]", () -> "Path=/auth/login");
		registry.add(route + ".filters[0]", () -> "SetPath=/login");
		registry.add(route + ".filters[1]", () -> "IssueTokens");
	}

	@AfterAll
	static void stop() {
		userService.stop();
	}

	@Test
	void auditWhenLoginFailsThenOneEcsJsonLineWithActionUserAndAddress(CapturedOutput output) {
		this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "mallory\" \"event\":{\"action\":\"logout\"}", "password", "s3cret-guess"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("login_failed"));
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.contains("\"tollgate.audit\"") && candidate.contains("login_failed"))
			.findFirst()
			.orElseThrow();
		JsonNode json = JsonMapper.shared().readTree(line);
		assertThat(json.at("/event/action").asString()).isEqualTo("login_failed");
		assertThat(json.at("/event/reason").asString()).isEqualTo("invalid_credentials");
		assertThat(json.at("/user/name").asString()).isEqualTo("mallory\" \"event\":{\"action\":\"logout\"}");
		assertThat(json.at("/client/ip").asString()).isEqualTo("127.0.0.1");
		assertThat(json.at("/log/logger").asString()).isEqualTo("tollgate.audit");
		assertThat(output.getOut()).doesNotContain("s3cret-guess");
	}

}
