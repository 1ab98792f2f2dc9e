package dev.tollgate.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;

import dev.tollgate.routes.observe.TollgateAuditEvent;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address where Spring Boot turns forwarded-header handling on by itself
 * (Kubernetes, Cloud Foundry, Heroku, Azure App Service...) or is told to
 * ({@code server.forward-headers-strategy=framework}), with no trusted proxy: whatever
 * {@code X-Forwarded-For} a client invents, its address is the connection's peer, for the
 * lock-outs, the audit log, the {@code address-prefix} refresh binding and the rate-limit
 * key alike.
 */
class ClientAddressOnCloudPlatformIT {

	/** Collects the audit events the application publishes. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		final List<TollgateAuditEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(TollgateAuditEvent event) {
			this.received.add(event);
		}

	}

	/** Lock-outs on, the address-prefix binding enforced, no trusted proxy. */
	static void properties(DynamicPropertyRegistry registry) {
		SessionITSupport.gatewayProperties(registry);
		registry.add("tollgate.login.protection.enabled", () -> "true");
		registry.add("tollgate.refresh-token.binding.policy", () -> "enforce");
		registry.add("tollgate.refresh-token.binding.checks", () -> "address-prefix");
	}

	abstract static class Cases extends SessionITSupport {

		@Autowired
		Events events;

		/** Users of this run alone: the Redis is shared with the other IT classes. */
		private final String run = UUID.randomUUID().toString().substring(0, 8);

		@BeforeEach
		void rightPassword() {
			backend.stubFor(post(urlEqualTo("/login")).atPriority(1)
				.withRequestBody(matchingJsonPath("$.password", equalTo("right")))
				.willReturn(aResponse().withStatus(200)
					.withHeader("Content-Type", "application/json")
					.withBody("{\"userId\":\"u-cloud\",\"roles\":[]}")));
		}

		@Test
		void loginWhenEachGuessClaimsAnotherForwardedForThenLockedAfterFiveAndAuditedWithThePeer() {
			String user = "mallory-" + this.run;
			for (int i = 0; i < 5; i++) {
				assertThat(login("/auth/login", user, "wrong", "198.51.100." + i).getStatus().value()).isEqualTo(401);
			}

			EntityExchangeResult<String> locked = login("/auth/login", user, "right", "198.51.100.200");

			assertThat(locked.getStatus().value()).isEqualTo(429);
			assertThat(locked.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(actions(user)).containsExactly("login_failed", "login_failed",
						"login_failed", "login_failed", "login_failed", "login_locked"));
			assertThat(this.events.received).filteredOn((event) -> user.equals(event.username()))
				.extracting(TollgateAuditEvent::clientIp)
				.containsOnly("127.0.0.1");
		}

		@Test
		void refreshWhenForwardedForClaimsAnotherNetworkThenTheAddressPrefixStillMatches() {
			Map<String, Object> tokens = login("alice");

			this.client.post()
				.uri("/auth/refresh")
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Forwarded-For", "203.0.113.7")
				.bodyValue(Map.of("refreshToken", tokens.get("refreshToken")))
				.exchange()
				.expectStatus()
				.isOk();
		}

		@Test
		void loginWhenForwardedForForgedThenTheRateLimitKeyIsThePeer() {
			String forged = "203.0.113." + ThreadLocalRandom.current().nextInt(1, 255);

			login("/auth/limited-login", "alice", "pw", forged);

			assertThat(redis.command("KEYS", "request_rate_limiter*")).contains("{login-limited.addr:127.0.0.1}")
				.doesNotContain("{login-limited.addr:" + forged + "}");
		}

		private List<String> actions(String user) {
			return this.events.received.stream()
				.filter((event) -> user.equals(event.username()))
				.map(TollgateAuditEvent::action)
				.toList();
		}

		private EntityExchangeResult<String> login(String path, String username, String password, String forwardedFor) {
			return this.client.post()
				.uri(path)
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Forwarded-For", forwardedFor)
				.bodyValue(Map.of("username", username, "password", password))
				.exchange()
				.expectBody(String.class)
				.returnResult();
		}

	}

	/**
	 * Spring Boot's own choice on Kubernetes: Reactor Netty's native handling, left-most
	 * X-Forwarded-For.
	 */
	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			classes = { TollgateApplication.class, Events.class })
	class Kubernetes extends Cases {

		@DynamicPropertySource
		static void kubernetes(DynamicPropertyRegistry registry) {
			properties(registry);
			registry.add("spring.main.cloud-platform", () -> "kubernetes");
		}

	}

	/**
	 * Spring's ForwardedHeaderTransformer: rewrites the remote address and removes the
	 * forwarded headers.
	 */
	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			classes = { TollgateApplication.class, Events.class })
	class FrameworkStrategy extends Cases {

		@DynamicPropertySource
		static void framework(DynamicPropertyRegistry registry) {
			properties(registry);
			registry.add("server.forward-headers-strategy", () -> "framework");
		}

	}

}
