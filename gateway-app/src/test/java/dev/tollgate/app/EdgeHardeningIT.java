package dev.tollgate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The HTTP layer around the access check, black-box against the real server: what a
 * hostile client sends on a raw socket, and what the upstream sees of it, recorded by a
 * raw-socket origin (no path normalisation, the framing as received) or WireMock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EdgeHardeningIT {

	static final RawOrigin origin = new RawOrigin();

	static final WireMockServer wiremock = SessionITSupport.startBackend();

	private static final Duration QUIET = Duration.ofSeconds(3);

	@Autowired
	AccessTokenIssuer issuer;

	@LocalServerPort
	int port;

	@AfterAll
	static void stop() {
		origin.close();
		wiremock.stop();
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("tollgate.store", () -> "memory");
		registry.add("tollgate.http.header-timeout", () -> "1s");
		registry.add("tollgate.http.body-timeout", () -> "1s");
		registry.add("tollgate.login.timeout", () -> "1s");
		String raw = "http://127.0.0.1:" + origin.port();
		String mock = "http://127.0.0.1:" + wiremock.port();
		route(registry, 0, "login", mock, "Path=/auth/login");
		registry.add(prefix(0) + ".filters[0]", () -> "SetPath=/login");
		registry.add(prefix(0) + ".filters[1]", () -> "IssueTokens");
		route(registry, 1, "public", raw, "Path=/public/**");
		registry.add(prefix(1) + ".metadata.auth", () -> "public");
		route(registry, 2, "admin", raw, "Path=/api/admin/**");
		registry.add(prefix(2) + ".filters[0]", () -> "RequireRoles=admin");
		route(registry, 3, "down", "http://127.0.0.1:" + closedPort(), "Path=/down/**");
		registry.add(prefix(3) + ".metadata.auth", () -> "public");
		route(registry, 4, "slow", mock, "Path=/slow/**");
		registry.add(prefix(4) + ".metadata.auth", () -> "public");
		registry.add(prefix(4) + ".metadata.response-timeout", () -> "300");
		route(registry, 5, "api", raw, "Path=/api/**");
	}

	private static String prefix(int index) {
		return "spring.cloud.gateway.server.webflux.routes[" + index + "]";
	}

	private static void route(DynamicPropertyRegistry registry, int index, String id, String uri, String predicate) {
		registry.add(prefix(index) + ".id", () -> id);
		registry.add(prefix(index) + ".uri", () -> uri);
		registry.add(prefix(index) + ".predicates[0]", () -> predicate);
	}

	private static int closedPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@BeforeEach
	void reset() {
		origin.reset();
		wiremock.resetAll();
		wiremock.stubFor(any(urlPathMatching("/slow/.*"))
			.willReturn(aResponse().withStatus(200).withFixedDelay(2000).withBody("late")));
	}

	private String token(String... roles) {
		return this.issuer.issue("u-42", List.of(roles), "s-1").value();
	}

	private RawClient.Answer get(String path, String... headerLines) {
		StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\nHost: gateway\r\n");
		for (String line : headerLines) {
			request.append(line).append("\r\n");
		}
		return RawClient.exchange(this.port, request.append("\r\n").toString(), QUIET);
	}

	private static void assertProblem(RawClient.Answer answer, int status, String error) {
		assertThat(answer.status()).as(answer.text()).isEqualTo(status);
		assertThat(answer.text()).containsIgnoringCase("content-type: application/problem+json")
			.contains("\"error\":\"" + error + "\"")
			.doesNotContain("Exception");
	}

	// ---- 1. paths that an upstream could resolve elsewhere

	@ParameterizedTest
	@ValueSource(strings = { "/public/../api/x", "/public/%2e%2e/api/x", "/public/%2E%2E/api/x", "/public/..%2fapi/x",
			"/public/..%5capi/x", "/public/;x/../api/x", "/public/..;/api/x", "/public/.%2e/api/x", "/public/./x",
			"//public/x", "/public/x%00", "/public/%252e%252e/api/x", "/public/a/.." })
	void publicRouteWhenPathHasDotSegmentOrEncodedSeparatorThen400AndOriginUntouched(String path) {
		assertProblem(get(path), 400, "invalid_request");
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void pathWhenRawBackslashThenRefusedBeforeRouting() {
		// not a legal URI character: the HTTP server refuses it before any filter (bare
		// 400)
		assertThat(get("/public\\..\\api/x").status()).isEqualTo(400);
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void requireRolesWhenDotSegmentsLeadIntoAdminRouteThen400AndOriginUntouched() {
		assertProblem(get("/api/../api/admin/users", "Authorization: Bearer " + token("user")), 400, "invalid_request");
		assertProblem(get("/api/x/%2e%2e/admin/users", "Authorization: Bearer " + token("user")), 400,
				"invalid_request");
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void webSocketUpgradeWhenPathHasDotSegmentsThen400AndOriginUntouched() {
		assertProblem(get("/public/../api/socket", "Connection: Upgrade", "Upgrade: websocket",
				"Sec-WebSocket-Version: 13", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="), 400, "invalid_request");
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void pathWhenLegitimateEncodingOrDotsInQueryThenForwardedAsSent() {
		assertThat(get("/public/a%20b/caf%C3%A9?next=../../etc").status()).isEqualTo(200);
		assertThat(origin.received()).singleElement()
			.satisfies((request) -> assertThat(request.requestLine())
				.isEqualTo("GET /public/a%20b/caf%C3%A9?next=../../etc HTTP/1.1"));
	}

	// ---- 2. hop-by-hop: Connection may not remove Authorization or the identity headers

	@Test
	void connectionHeaderWhenNamingIdentityAndAuthorizationThenUpstreamStillGetsThem() {
		String token = token("user");
		RawClient.Answer answer = get("/api/orders", "Authorization: Bearer " + token,
				"Connection: keep-alive, X-User-Id, X-User-Roles, Authorization, X-Trace", "X-Trace: 1");
		assertThat(answer.status()).isEqualTo(200);
		RawOrigin.Received received = origin.received().get(0);
		assertThat(received.header("X-User-Id")).isEqualTo("u-42");
		assertThat(received.header("X-User-Roles")).isEqualTo("user");
		assertThat(received.header("Authorization")).isEqualTo("Bearer " + token);
		assertThat(received.header("X-Trace")).as("other options still honoured").isNull();
	}

	// ---- 3. headers that re-route a request or a method at some upstreams

	@Test
	void reroutingHeadersWhenSentThenRemovedOnPublicAndProtectedRoutes() {
		String[] rerouting = { "X-Original-URL: /admin", "X-Rewrite-URL: /admin", "X-HTTP-Method-Override: DELETE",
				"X-HTTP-Method: DELETE", "X-Method-Override: DELETE", "X-Real-IP: 10.0.0.1", "X_User_Id: admin",
				"x-user-roles: admin" };
		assertThat(get("/public/x", rerouting).status()).isEqualTo(200);
		String[] withToken = Stream.concat(Arrays.stream(rerouting), Stream.of("Authorization: Bearer " + token()))
			.toArray(String[]::new);
		assertThat(get("/api/x", withToken).status()).isEqualTo(200);
		assertThat(origin.received()).hasSize(2).allSatisfy((request) -> {
			for (String name : List.of("X-Original-URL", "X-Rewrite-URL", "X-HTTP-Method-Override", "X-HTTP-Method",
					"X-Method-Override", "X-Real-IP", "X_User_Id")) {
				assertThat(request.header(name)).as(name).isNull();
			}
		});
		assertThat(origin.received().get(0).header("X-User-Roles")).isNull();
		assertThat(origin.received().get(1).header("X-User-Roles")).isEmpty();
	}

	// ---- 4. framing

	@ParameterizedTest
	@ValueSource(strings = { "Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, chunked",
			"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
			"Transfer-Encoding: chunked\r\nContent-Length: 5" })
	void framingWhenTransferEncodingNotExactlyChunkedThen400ClosedAndOriginUntouched(String framing) {
		RawClient.Answer answer = RawClient.exchange(this.port,
				"POST /public/x HTTP/1.1\r\nHost: gateway\r\n" + framing + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n", QUIET);
		assertThat(answer.status()).isEqualTo(400);
		assertThat(answer.closed()).isTrue();
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void framingWhenChunkedBodyMalformedMidwayThenOriginNeverSeesACompleteRequest() throws Exception {
		try (RawClient client = new RawClient(this.port)) {
			client.send("POST /public/upload HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n"
					+ "5\r\nhello\r\n");
			// the gateway is already streaming the body to the origin when the malformed
			// chunk arrives
			await().atMost(Duration.ofSeconds(5)).until(() -> origin.started() > 0);
			Thread.sleep(300);
			client.send("ZZ\r\nworld\r\n0\r\n\r\n");
			RawClient.Answer answer = client.read(QUIET);
			assertThat(answer.closed()).isTrue();
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> !origin.received().isEmpty());
		assertThat(origin.received()).allSatisfy((request) -> assertThat(request.complete()).isFalse());
	}

	@Test
	void framingWhenChunkedBodyWellFormedThenForwardedComplete() {
		RawClient.Answer answer = RawClient.exchange(this.port,
				"POST /public/upload HTTP/1.1\r\nHost: gateway\r\nTransfer-Encoding: chunked\r\n\r\n"
						+ "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
				QUIET);
		assertThat(answer.status()).isEqualTo(200);
		assertThat(origin.received()).singleElement().satisfies((request) -> {
			assertThat(request.complete()).isTrue();
			assertThat(request.body()).isEqualTo("hello world");
		});
	}

	@Test
	void keepAliveWhenRequestPipelinedBehindLargeAnswerThenEveryOneAnswered() throws Exception {
		// Reactor Netty before 1.3.8 stopped reading a connection whose next request came
		// before the previous
		// answer was complete (reactor-netty issue 4361): the request after a pipelined
		// pair hung for ever
		try (RawClient client = new RawClient(this.port)) {
			client.send("GET /public/big HTTP/1.1\r\nHost: gateway\r\n\r\n"
					+ "GET /.well-known/jwks.json HTTP/1.1\r\nHost: gateway\r\n\r\n");
			Thread.sleep(500);
			client.send("GET /public/a HTTP/1.1\r\nHost: gateway\r\n\r\n");
			long start = System.nanoTime();
			StringBuilder answers = new StringBuilder();
			while (countOf(answers, "HTTP/1.1 200 OK") < 3 && System.nanoTime() - start < 5_000_000_000L) {
				answers.append(client.read(Duration.ofMillis(500)).text());
			}
			assertThat(countOf(answers, "HTTP/1.1 200 OK")).isEqualTo(3);
		}
	}

	private static int countOf(CharSequence text, String part) {
		return text.toString().split(Pattern.quote(part), -1).length - 1;
	}

	// ---- 5. time and size

	@Test
	void headersWhenNotCompleteInTimeThen408AndConnectionClosed() throws Exception {
		try (RawClient client = new RawClient(this.port)) {
			client.send("GET /public/x HTTP/1.1\r\nHost: gateway\r\n");
			long start = System.nanoTime();
			boolean open = true;
			while (open && Duration.ofNanos(System.nanoTime() - start).toSeconds() < 5) {
				Thread.sleep(200);
				open = client.trySend("X-Trickle: 1\r\n");
			}
			RawClient.Answer answer = client.read(QUIET);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(answer.closed()).isTrue();
		}
		assertThat(origin.received()).isEmpty();
	}

	@Test
	void refreshWhenBodyTricklesPastDeadlineThen408AndConnectionClosed() throws Exception {
		try (RawClient client = new RawClient(this.port)) {
			client.send("POST /auth/refresh HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
					+ "Content-Length: 100\r\n\r\n{\"refresh");
			RawClient.Answer answer = client.read(Duration.ofSeconds(4));
			assertThat(answer.status()).isEqualTo(408);
			assertThat(answer.closed()).isTrue();
			assertThat(answer.body()).contains("\"error\":\"invalid_request\"");
		}
	}

	@Test
	void loginWhenBodyOverLimitThen413AndUserServiceNeverCalled() {
		String body = "{\"username\":\"alice\",\"password\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
		RawClient.Answer answer = RawClient.exchange(
				this.port, "POST /auth/login HTTP/1.1\r\nHost: gateway\r\n"
						+ "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body,
				QUIET);
		assertProblem(answer, 413, "invalid_request");
		wiremock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void loginWhenChunkedBodyOverLimitThen413AndUserServiceNeverCalled() {
		String chunk = "x".repeat(8 * 1024);
		StringBuilder request = new StringBuilder("POST /auth/login HTTP/1.1\r\nHost: gateway\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
		for (int i = 0; i < 4; i++) {
			request.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
		}
		assertProblem(RawClient.exchange(this.port, request.append("0\r\n\r\n").toString(), QUIET), 413,
				"invalid_request");
		wiremock.verify(0, anyRequestedFor(anyUrl()));
	}

	@Test
	void loginWhenUserServiceNeverAnswersThen504WithinTheLoginTimeout() {
		wiremock.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200).withFixedDelay(5000)));
		long start = System.nanoTime();
		RawClient.Answer answer = RawClient.exchange(this.port, login("{\"username\":\"a\",\"password\":\"b\"}"),
				Duration.ofSeconds(4));
		assertProblem(answer, 504, "gateway_timeout");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(answer.text()).doesNotContain("accessToken");
	}

	@Test
	void loginWhenUserServiceBodyTricklesPastTimeoutThen504() {
		wiremock.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"userId\":\"u-1\"}")
			.withChunkedDribbleDelay(4, 3000)));
		assertProblem(RawClient.exchange(this.port, login("{}"), Duration.ofSeconds(4)), 504, "gateway_timeout");
	}

	private static String login(String body) {
		return "POST /auth/login HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: "
				+ body.length() + "\r\n\r\n" + body;
	}

	// ---- 6. failing upstreams

	@Test
	void upstreamWhenUnreachableThen502ProblemJson() {
		RawClient.Answer answer = get("/down/x");
		assertProblem(answer, 502, "bad_gateway");
		assertThat(answer.body()).doesNotContain("127.0.0.1").doesNotContain("refused");
	}

	@Test
	void upstreamWhenTooSlowThen504ProblemJson() {
		assertProblem(get("/slow/x"), 504, "gateway_timeout");
	}

	// ---- 7. the refresh cookie never leaves the edge

	@Test
	void webSocketUpgradeWhenRefreshCookieSentThenOriginGetsOnlyTheOtherCookies() {
		String upgrade = "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
				+ "Cookie: theme=dark; __Secure-tollgate-refresh=f.secret; lang=en\r\n";
		RawClient.exchange(this.port, "GET /public/socket HTTP/1.1\r\nHost: gateway\r\n" + upgrade + "\r\n",
				Duration.ofSeconds(1));
		RawClient.exchange(this.port, "GET /api/socket HTTP/1.1\r\nHost: gateway\r\nAuthorization: Bearer "
				+ token("user") + "\r\n" + upgrade + "\r\n", Duration.ofSeconds(1));
		await().atMost(Duration.ofSeconds(5)).until(() -> origin.received().size() == 2);
		assertThat(origin.received()).allSatisfy((request) -> {
			assertThat(request.header("Upgrade")).isEqualToIgnoringCase("websocket");
			assertThat(request.head()).doesNotContain("__Secure-tollgate-refresh");
			assertThat(request.header("Cookie")).isEqualTo("theme=dark; lang=en");
		});
	}

	// ---- 8. identity values

	@ParameterizedTest
	@ValueSource(strings = { "alice,u-root", "alice u-root", "alice event=refresh_token_reuse_detected user=u-root" })
	void loginWhenUserIdHoldsCommaOrWhitespaceThen502AndNoToken(String userId) {
		wiremock.stubFor(post(urlEqualTo("/login")).willReturn(aResponse().withStatus(200)
			.withHeader("Content-Type", "application/json")
			.withBody("{\"userId\":\"" + userId + "\",\"roles\":[\"user\"]}")));
		RawClient.Answer answer = RawClient.exchange(this.port, login("{\"username\":\"a\",\"password\":\"b\"}"),
				QUIET);
		assertProblem(answer, 502, "bad_gateway");
		assertThat(answer.text()).doesNotContain("accessToken").doesNotContain("refreshToken");
		wiremock.verify(1, postRequestedFor(urlEqualTo("/login")));
	}

}
