package dev.tollgate.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Login protection through the real gateway and Redis, with the contract's default
 * limits, behind one trusted proxy (so that each case can be a client address of its own,
 * by {@code X-Forwarded-For} or RFC 7239 {@code Forwarded}).
 */
class LoginProtectionIT extends SessionITSupport {

	/** Users and addresses of this case alone. */
	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final int network = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16);

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.login.protection.enabled", () -> "true");
		registry.add("tollgate.client-address.trusted-proxies", () -> "1");
	}

	@BeforeEach
	void rightPassword() {
		backend.stubFor(post(urlEqualTo("/login")).atPriority(1)
			.withRequestBody(matchingJsonPath("$.password", equalTo("right")))
			.willReturn(aResponse().withStatus(200)
				.withHeader("Content-Type", "application/json")
				.withBody("{\"userId\":\"u-protected\",\"roles\":[]}")));
	}

	@Test
	void loginWhenFiveFailuresThenLockedWithRetryAfterAndTheUserServiceNotCalledAgain() {
		String user = user("alice");
		for (int i = 0; i < 5; i++) {
			assertThat(login(user, "wrong", address(1)).getStatus().value()).isEqualTo(401);
		}

		EntityExchangeResult<String> locked = login(user, "right", address(1));

		assertThat(locked.getStatus().value()).isEqualTo(429);
		assertThat(locked.getResponseHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isIn("59", "60");
		assertThat(locked.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(locked.getResponseBody()).contains("\"error\":\"too_many_attempts\"")
			.doesNotContain("right")
			.doesNotContain("accessToken");
		backend.verify(5,
				postRequestedFor(urlEqualTo("/login")).withRequestBody(matchingJsonPath("$.username", equalTo(user))));
	}

	@Test
	void loginWhenPairLockedThenOtherUsernamesFromTheAddressAndTheUsernameFromAnotherAddressLogIn() {
		String user = user("alice");
		for (int i = 0; i < 5; i++) {
			login(user, "wrong", address(1));
		}
		assertThat(login(user, "right", address(1)).getStatus().value()).isEqualTo(429);

		assertThat(login(user("bob"), "right", address(1)).getStatus().value()).isEqualTo(200);
		assertThat(login(user, "right", address(2)).getStatus().value()).as("the real user elsewhere").isEqualTo(200);
	}

	@Test
	void loginWhenFiftyFailuresFromOneAddressOverManyUsernamesThenTheAddressLockedForEveryUsername() {
		for (int i = 0; i < 50; i++) {
			assertThat(login(user("user" + i), "wrong", address(3)).getStatus().value()).isEqualTo(401);
		}

		assertThat(login(user("someone-new"), "right", address(3)).getStatus().value()).isEqualTo(429);
		assertThat(login(user("someone-new"), "right", address(4)).getStatus().value()).isEqualTo(200);
	}

	@Test
	void loginWhenSuccessBetweenFailuresThenThePairCountStartsAgain() {
		String user = user("carol");
		for (int i = 0; i < 4; i++) {
			login(user, "wrong", address(5));
		}
		assertThat(login(user, "right", address(5)).getStatus().value()).isEqualTo(200);
		for (int i = 0; i < 4; i++) {
			assertThat(login(user, "wrong", address(5)).getStatus().value()).isEqualTo(401);
		}

		assertThat(login(user, "right", address(5)).getStatus().value()).isEqualTo(200);
	}

	@Test
	void loginWhenSpoofedForwardedForEntriesBeforeTheTrustedProxysThenCountedByTheProxysEntry() {
		String user = user("dave");
		// the client writes whatever it likes to the left of what the trusted proxy
		// appended
		for (int i = 0; i < 5; i++) {
			login(user, "wrong", "203.0.113." + i + ", " + address(6));
		}

		assertThat(login(user, "right", "198.18.0.1, " + address(6)).getStatus().value()).isEqualTo(429);
	}

	@Test
	void loginWhenOnlyAForwardedHeaderThenCountedByItsRightmostEntry() {
		String user = user("frank");
		// RFC 7239: the client writes what it likes on the left, the trusted proxy
		// appends its for= on the right
		for (int i = 0; i < 5; i++) {
			assertThat(login(user, "wrong", "Forwarded",
					"for=203.0.113." + i + ";proto=https, for=\"" + address(8) + ":4711\"")
				.getStatus()
				.value()).isEqualTo(401);
		}

		assertThat(login(user, "right", "Forwarded", "for=198.18.0.1, for=" + address(8)).getStatus().value())
			.isEqualTo(429);
		assertThat(login(user, "right", "Forwarded", "for=" + address(9)).getStatus().value())
			.as("another address behind the proxy")
			.isEqualTo(200);
	}

	@Test
	void loginWhenForwardedForSentAsTwoHeaderLinesThenMergedInOrder() {
		String user = user("grace");
		// the client's own line first, the line the trusted proxy added last
		for (int i = 0; i < 5; i++) {
			assertThat(login(user, "wrong", "X-Forwarded-For", "203.0.113." + i, address(10)).getStatus().value())
				.isEqualTo(401);
		}

		assertThat(login(user, "right", "X-Forwarded-For", "198.18.0.1", address(10)).getStatus().value())
			.isEqualTo(429);
		assertThat(login(user, "right", "X-Forwarded-For", address(10), address(11)).getStatus().value())
			.as("another address behind the proxy")
			.isEqualTo(200);
	}

	@Test
	void loginWhenIpv6AddressesShareASlash64ThenOneLockOutAndAnotherSlash64IsNotLocked() {
		String user = user("heidi");
		for (int i = 0; i < 5; i++) {
			assertThat(login(user, "wrong", ipv6(1, i + 1)).getStatus().value()).isEqualTo(401);
		}

		assertThat(login(user, "right", ipv6(1, 0xbeef)).getStatus().value()).as("another host of the same /64")
			.isEqualTo(429);
		assertThat(login(user, "right", ipv6(2, 1)).getStatus().value()).as("another /64").isEqualTo(200);
	}

	@Test
	void loginWhenManyConcurrentGuessesThenNoMoreThanFiveReachTheUserService() {
		String user = user("erin");
		List<Integer> statuses = Flux.range(0, 40)
			.parallel(8)
			.runOn(Schedulers.boundedElastic())
			.map((i) -> login(user, "wrong", address(7)).getStatus().value())
			.sequential()
			.collectList()
			.block(Duration.ofSeconds(60));

		assertThat(statuses).containsOnly(401, 429);
		assertThat(statuses).filteredOn((status) -> status == 401).hasSize(5);
		backend.verify(5,
				postRequestedFor(urlEqualTo("/login")).withRequestBody(matchingJsonPath("$.username", equalTo(user))));
	}

	private String user(String name) {
		return name + "-" + this.run;
	}

	private String address(int host) {
		return "10." + (this.network >> 8) + "." + (this.network & 255) + "." + host;
	}

	/**
	 * An address in a /64 of this run's own: subnet picks the /64, host the address in
	 * it.
	 */
	private String ipv6(int subnet, int host) {
		return String.format("2001:db8:%x:%x::%x", this.network, subnet, host);
	}

	private EntityExchangeResult<String> login(String username, String password, String forwardedFor) {
		return login(username, password, "X-Forwarded-For", forwardedFor);
	}

	/**
	 * A login whose request carries the header {@code name} once per value, each on a
	 * line of its own.
	 */
	private EntityExchangeResult<String> login(String username, String password, String name, String... values) {
		return this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.header(name, values)
			.bodyValue(Map.of("username", username, "password", password))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

}
