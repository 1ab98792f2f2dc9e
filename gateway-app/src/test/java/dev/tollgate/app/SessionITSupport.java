package dev.tollgate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.test.TestRedis;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real gateway on a random port, with a real {@code redis-server} of its own on a
 * free port and a WireMock user service and upstream. Subclasses add their properties in
 * a {@code @DynamicPropertySource} that calls {@link #gatewayProperties}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
abstract class SessionITSupport {

	static final TestRedis redis = TestRedis.start();

	static final WireMockServer backend = startBackend();

	@Autowired
	WebTestClient client;

	@LocalServerPort
	int port;

	int port() {
		return this.port;
	}

	static {
		// One Redis and one WireMock for every subclass in this JVM; Spring caches their
		// contexts too.
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			backend.stop();
			redis.close();
		}));
	}

	static WireMockServer startBackend() {
		WireMockServer server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		server.start();
		return server;
	}

	static void gatewayProperties(DynamicPropertyRegistry registry) {
		String routes = "spring.cloud.gateway.server.webflux.routes";
		String uri = "http://127.0.0.1:" + backend.port();
		// one gateway instance per test: its ephemeral key is enough
		registry.add("tollgate.signing.ephemeral-keys-allowed", () -> "true");
		// the classes share one Redis and log alice in with wrong passwords from
		// 127.0.0.1 more than five times in
		// all: lock-outs are LoginProtectionIT's subject, with users of its own
		registry.add("tollgate.login.protection.enabled", () -> "false");
		registry.add("spring.data.redis.host", () -> "127.0.0.1");
		registry.add("spring.data.redis.port", redis::port);
		registry.add("spring.data.redis.timeout", () -> "1s");
		registry.add("spring.data.redis.connect-timeout", () -> "1s");
		route(registry, 0, "login", uri, "/auth/login", "/login");
		route(registry, 1, "login-slow", uri, "/auth/slow-login", "/slow-login");
		registry.add(routes + "[1].metadata.response-timeout", () -> "300");
		route(registry, 2, "login-down", "http://127.0.0.1:" + closedPort(), "/auth/down-login", "/login");
		// the login route with the usual gateway filters: a Redis rate limiter keyed by
		// client address
		route(registry, 4, "login-limited", uri, "/auth/limited-login", "/login");
		registry.add(routes + "[4].filters[2].name", () -> "RequestRateLimiter");
		registry.add(routes + "[4].filters[2].args.redis-rate-limiter.replenishRate", () -> "1");
		registry.add(routes + "[4].filters[2].args.redis-rate-limiter.burstCapacity", () -> "1");
		// the login route through service discovery: lb://user-service, resolved by the
		// simple discovery client
		route(registry, 5, "login-lb", "lb://user-service", "/auth/lb-login", "/login");
		registry.add("spring.cloud.discovery.client.simple.instances.user-service[0].uri", () -> uri);
		// else Spring Cloud LoadBalancer builds the service's context on its first
		// request, on an event loop
		registry.add("spring.cloud.loadbalancer.eager-load.clients[0]", () -> "user-service");
		registry.add(routes + "[3].id", () -> "api");
		registry.add(routes + "[3].uri", () -> uri);
		registry.add(routes + "[3].predicates[0]", () -> "Path=/api/**");
		// a public route under the refresh cookie's path (/auth), where a browser sends
		// that cookie
		registry.add(routes + "[6].id", () -> "auth-profile");
		registry.add(routes + "[6].uri", () -> uri);
		registry.add(routes + "[6].predicates[0]", () -> "Path=/auth/profile/**");
		registry.add(routes + "[6].metadata.auth", () -> "public");
	}

	/** A loopback port nothing listens on: connections to it are refused. */
	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void route(DynamicPropertyRegistry registry, int index, String id, String uri, String path,
			String upstreamPath) {
		String route = "spring.cloud.gateway.server.webflux.routes[" + index + "]";
		registry.add(route + ".id", () -> id);
		registry.add(route + ".uri", () -> uri);
		registry.add(route + ".predicates[0]", () -> "Path=" + path);
		registry.add(route + ".predicates[1]", () -> "Method=POST");
		registry.add(route + ".filters[0]", () -> "SetPath=" + upstreamPath);
		registry.add(route + ".filters[1]", () -> "IssueTokens");
	}

	@BeforeEach
	void resetBackend() {
		backend.resetAll();
		backend.stubFor(post(urlEqualTo("/login")).atPriority(9)
			.willReturn(aResponse().withStatus(401).withBody("{\"message\":\"bad credentials\"}")));
		backend.stubFor(
				post(urlEqualTo("/login")).withRequestBody(equalToJson("{\"username\":\"alice\",\"password\":\"pw\"}"))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withHeader("Set-Cookie", "internal-session=secret")
						.withHeader("X-Internal", "upstream-detail")
						.withBody("{\"userId\":\"u-1001\",\"roles\":[\"user\"],\"passwordHash\":\"$2a$...\"}")));
		backend.stubFor(
				post(urlEqualTo("/login")).withRequestBody(equalToJson("{\"username\":\"bob\",\"password\":\"pw\"}"))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withBody("{\"userId\":\"u-2002\",\"roles\":[\"user\",\"admin\"]}")));
		backend.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
		backend
			.stubFor(any(urlPathMatching("/auth/profile/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	/** Posts credentials to a login route. */
	WebTestClient.ResponseSpec loginRequest(String path, String username, String password) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", username, "password", password))
			.exchange();
	}

	/**
	 * Logs in with the password the backend stub accepts and returns the token response.
	 */
	Map<String, Object> login(String username) {
		return loginRequest("/auth/login", username, "pw").expectStatus()
			.isOk()
			.expectBody(TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody();
	}

	WebTestClient.ResponseSpec refresh(Object refreshToken) {
		return postRefreshToken("/auth/refresh", refreshToken);
	}

	/** Refreshes, expecting success, and returns the new token response. */
	Map<String, Object> refreshOk(Object refreshToken) {
		return refresh(refreshToken).expectStatus().isOk().expectBody(TOKEN_RESPONSE).returnResult().getResponseBody();
	}

	WebTestClient.ResponseSpec logout(Object refreshToken) {
		return postRefreshToken("/auth/logout", refreshToken);
	}

	private WebTestClient.ResponseSpec postRefreshToken(String path, Object refreshToken) {
		return this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", refreshToken))
			.exchange();
	}

	/**
	 * A login, a guarded API call and a public route under {@code /auth}, each sent with
	 * {@code cookieLines} as its {@code Cookie} header lines, every one answered 200:
	 * returns the {@code Cookie} header lines the user service and the upstream received,
	 * one list per request, in that order.
	 */
	List<List<String>> forwardedCookieLines(String... cookieLines) {
		String login = this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.headers((headers) -> headers.put(HttpHeaders.COOKIE, List.of(cookieLines)))
			.bodyValue(Map.of("username", "alice", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(TOKEN_RESPONSE)
			.returnResult()
			.getResponseBody()
			.get("accessToken")
			.toString();
		for (String path : List.of("/api/orders", "/auth/profile/me")) {
			this.client.get()
				.uri(path)
				.headers((headers) -> headers.put(HttpHeaders.COOKIE, List.of(cookieLines)))
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + login)
				.exchange()
				.expectStatus()
				.isOk();
		}
		List<LoggedRequest> received = new ArrayList<>();
		for (String path : List.of("/login", "/api/orders", "/auth/profile/me")) {
			received.addAll(backend.findAll(anyRequestedFor(urlEqualTo(path))));
		}
		assertThat(received).hasSize(3);
		return received.stream().map(SessionITSupport::cookieLines).toList();
	}

	private static List<String> cookieLines(LoggedRequest request) {
		HttpHeader cookie = request.getHeaders().getHeader(HttpHeaders.COOKIE);
		return cookie.isPresent() ? cookie.values() : List.of();
	}

	static final ParameterizedTypeReference<Map<String, Object>> TOKEN_RESPONSE = new ParameterizedTypeReference<>() {
	};

}
