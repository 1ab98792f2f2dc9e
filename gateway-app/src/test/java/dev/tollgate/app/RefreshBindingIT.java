package dev.tollgate.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh binding through the real gateway and Redis (CONTRACT.md, "Refresh binding"): a
 * refresh token replayed from another client, under each policy. The client is a user
 * agent, an address (one trusted proxy in front, so that a case can pick its address with
 * {@code X-Forwarded-For}) and a device header.
 */
class RefreshBindingIT {

	static final String PHONE_UA = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) Mobile/15E148";

	static final String THIEF_UA = "curl/8.5.0";

	/** Collects the audit events the application publishes. */
	@TestConfiguration(proxyBeanMethods = false)
	static class Events {

		final List<TollgateAuditEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void on(TollgateAuditEvent event) {
			this.received.add(event);
		}

	}

	abstract static class Client extends SessionITSupport {

		@Autowired
		Events events;

		@BeforeEach
		void forget() {
			this.events.received.clear();
		}

		Map<String, Object> loginFrom(String userAgent, String address, String device) {
			return this.client.post()
				.uri("/auth/login")
				.contentType(MediaType.APPLICATION_JSON)
				.headers((headers) -> client(headers, userAgent, address, device))
				.bodyValue(Map.of("username", "alice", "password", "pw"))
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody(TOKEN_RESPONSE)
				.returnResult()
				.getResponseBody();
		}

		EntityExchangeResult<String> refreshFrom(Object refreshToken, String userAgent, String address, String device) {
			return this.client.post()
				.uri("/auth/refresh")
				.contentType(MediaType.APPLICATION_JSON)
				.headers((headers) -> client(headers, userAgent, address, device))
				.bodyValue(Map.of("refreshToken", refreshToken))
				.exchange()
				.expectBody(String.class)
				.returnResult();
		}

		int api(Object accessToken) {
			return this.client.get()
				.uri("/api/profile")
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
				.exchange()
				.expectBody(String.class)
				.returnResult()
				.getStatus()
				.value();
		}

		static String refreshToken(EntityExchangeResult<String> result) {
			String body = result.getResponseBody();
			int start = body.indexOf("\"refreshToken\":\"") + 16;
			return body.substring(start, body.indexOf('"', start));
		}

		/**
		 * Audit events are published from the audit log's own thread, after the answer:
		 * wait for them.
		 */
		void awaitMismatchReasons(String... expected) {
			Awaitility.await()
				.atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(mismatchReasons()).containsExactly(expected));
		}

		List<String> mismatchReasons() {
			return this.events.received.stream()
				.filter((event) -> event.action().equals("refresh_binding_mismatch"))
				.map(TollgateAuditEvent::reason)
				.toList();
		}

		private static void client(HttpHeaders headers, String userAgent, String address, String device) {
			headers.set(HttpHeaders.USER_AGENT, userAgent);
			headers.set("X-Forwarded-For", address);
			if (device != null) {
				headers.set("X-Device-Id", device);
			}
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			classes = { TollgateApplication.class, Events.class })
	class Enforce extends Client {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			gatewayProperties(registry);
			registry.add("tollgate.client-address.trusted-proxies", () -> "1");
			registry.add("tollgate.refresh-token.binding.policy", () -> "enforce");
			registry.add("tollgate.refresh-token.binding.checks", () -> "user-agent,address-prefix,device-header");
		}

		@Test
		void refreshWhenTheSameClientThenRotatedAgainAndAgain() {
			Map<String, Object> tokens = loginFrom(PHONE_UA, "198.51.100.7", "device-1");

			EntityExchangeResult<String> first = refreshFrom(tokens.get("refreshToken"), PHONE_UA, "198.51.100.7",
					"device-1");
			// another host of the same /24: a mobile network moving the client
			EntityExchangeResult<String> second = refreshFrom(refreshToken(first), PHONE_UA, "198.51.100.200",
					"device-1");

			assertThat(first.getStatus().value()).isEqualTo(200);
			assertThat(second.getStatus().value()).isEqualTo(200);
			assertThat(mismatchReasons()).isEmpty();
		}

		@Test
		void refreshWhenReplayedByAnotherUserAgentThen401AndTheSessionEndedForBoth() {
			Map<String, Object> tokens = loginFrom(PHONE_UA, "198.51.100.7", "device-1");

			EntityExchangeResult<String> stolen = refreshFrom(tokens.get("refreshToken"), THIEF_UA, "198.51.100.7",
					"device-1");

			assertThat(stolen.getStatus().value()).isEqualTo(401);
			assertThat(stolen.getResponseBody()).contains("\"error\":\"invalid_grant\"")
				.contains("presented by another client")
				.doesNotContain("accessToken");
			assertThat(
					refreshFrom(tokens.get("refreshToken"), PHONE_UA, "198.51.100.7", "device-1").getStatus().value())
				.as("the session is over for the real client too")
				.isEqualTo(401);
			assertThat(api(tokens.get("accessToken"))).as("its access token revoked").isEqualTo(401);
			awaitMismatchReasons("enforce:user-agent");
		}

		@Test
		void refreshWhenFromAnotherNetworkThen401() {
			Map<String, Object> tokens = loginFrom(PHONE_UA, "198.51.100.7", "device-1");

			assertThat(refreshFrom(tokens.get("refreshToken"), PHONE_UA, "203.0.113.7", "device-1").getStatus().value())
				.isEqualTo(401);
			awaitMismatchReasons("enforce:address-prefix");
		}

		@Test
		void refreshWhenAnotherDeviceHeaderOrNoneThen401() {
			Map<String, Object> one = loginFrom(PHONE_UA, "198.51.100.7", "device-1");
			Map<String, Object> two = loginFrom(PHONE_UA, "198.51.100.7", "device-1");

			assertThat(refreshFrom(one.get("refreshToken"), PHONE_UA, "198.51.100.7", "device-2").getStatus().value())
				.isEqualTo(401);
			assertThat(refreshFrom(two.get("refreshToken"), PHONE_UA, "198.51.100.7", null).getStatus().value())
				.isEqualTo(401);
			awaitMismatchReasons("enforce:device-header", "enforce:device-header");
		}

	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
			classes = { TollgateApplication.class, Events.class })
	class AuditByDefault extends Client {

		@DynamicPropertySource
		static void properties(DynamicPropertyRegistry registry) {
			gatewayProperties(registry);
		}

		@Test
		void refreshWhenAnotherUserAgentThenAnsweredAndAudited() {
			Map<String, Object> tokens = loginFrom(PHONE_UA, "198.51.100.7", null);

			EntityExchangeResult<String> updated = refreshFrom(tokens.get("refreshToken"), PHONE_UA + " Version/19",
					"198.51.100.7", null);

			assertThat(updated.getStatus().value()).isEqualTo(200);
			awaitMismatchReasons("audit:user-agent");
			assertThat(refreshFrom(refreshToken(updated), PHONE_UA, "203.0.113.9", null).getStatus().value())
				.as("the address is not checked by default")
				.isEqualTo(200);
			assertThat(mismatchReasons()).hasSize(1);
		}

	}

}
