package dev.tollgate.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.test.TestRedis;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several gateway instances sharing one Redis, as in production: a session ended on one
 * instance is refused by the others within a second (the distribution over 100
 * revocations is printed), by an instance started afterwards, and the access path makes
 * no Redis call at all; failed logins counted on either instance lock the pair on both;
 * one refresh token raced 64 times over both instances is granted once and the session
 * ends (reuse).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedRedisInstancesIT {

	private static final String SECRET = Base64.getEncoder()
		.encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(1);

	private static final int REVOCATIONS = 100;

	private static final int RACERS = 64;

	private static final int RACE_ROUNDS = 20;

	private static TestRedis redis;

	private static WireMockServer backend;

	private static ConfigurableApplicationContext first;

	private static ConfigurableApplicationContext second;

	/** Sessions ended by the revocation case, for the later-started instance. */
	private static final List<Map<String, Object>> ended = new ArrayList<>();

	@BeforeAll
	static void start() {
		redis = TestRedis.start();
		backend = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		backend.start();
		backend.stubFor(
				post(urlEqualTo("/login")).withRequestBody(equalToJson("{\"username\":\"alice\",\"password\":\"pw\"}"))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withBody("{\"userId\":\"u-1001\",\"roles\":[\"user\"]}")));
		backend.stubFor(post(urlEqualTo("/login")).atPriority(9).willReturn(aResponse().withStatus(401)));
		backend.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
		first = startInstance();
		second = startInstance();
	}

	@AfterAll
	static void stop() {
		for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] { first, second }) {
			if (context != null) {
				context.close();
			}
		}
		if (backend != null) {
			backend.stop();
		}
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	@Order(1)
	void accessWhenTokensCheckedOnAnInstanceThenNoRedisCommandAtAll() {
		Map<String, Object> tokens = login(first);
		assertAccepted(api(second, tokens));
		Map<String, Long> before = commandStats();

		for (int i = 0; i < 2000; i++) {
			assertAccepted(api(second, tokens));
			assertAccepted(api(first, tokens));
		}

		Map<String, Long> after = commandStats();
		System.out.println("INFO commandstats before 4000 access checks: " + before);
		System.out.println("INFO commandstats after  4000 access checks: " + after);
		assertThat(after).as("calls per command, INFO itself aside").isEqualTo(before);
	}

	@Test
	@Order(2)
	void endWhenSessionEndsOnOneInstanceThenTheOtherRefusesItWithinASecond() {
		EndedSessions seenBySecond = second.getBean(EndedSessions.class);
		List<Long> micros = new ArrayList<>();
		for (int i = 0; i < REVOCATIONS; i++) {
			Map<String, Object> tokens = login(first);
			String sessionId = SessionsIT.sessionId(tokens);
			assertAccepted(api(second, tokens));

			long start = System.nanoTime();
			logout(first, tokens);
			while (!seenBySecond.isRevoked(sessionId)) {
				assertThat(Duration.ofNanos(System.nanoTime() - start)).as("revocation %d visible", i)
					.isLessThan(VISIBLE_WITHIN);
				Thread.onSpinWait();
			}
			micros.add((System.nanoTime() - start) / 1000);
			assertRevoked(api(second, tokens));
			ended.add(tokens);
		}
		micros.sort(null);
		System.out.printf(
				"Logout visible on the other instance, %d revocations (from the logout request on the "
						+ "first instance): p50 %d us, p90 %d us, p99 %d us, max %d us%n",
				REVOCATIONS, percentile(micros, 50), percentile(micros, 90), percentile(micros, 99),
				micros.get(micros.size() - 1));
	}

	@Test
	@Order(4)
	void refreshWhenOneTokenRefreshedConcurrentlyOnBothInstancesThenExactlyOneSucceedsAndTheSessionEnds() {
		Map<ConfigurableApplicationContext, WebClient> web = Map.of(first, webClient(first), second, webClient(second));
		for (int round = 0; round < RACE_ROUNDS; round++) {
			Map<String, Object> tokens = login((round % 2 == 0) ? first : second);
			String sessionId = SessionsIT.sessionId(tokens);
			Sinks.Empty<Void> gate = Sinks.empty();
			List<Mono<Answer>> racers = new ArrayList<>();
			for (int i = 0; i < RACERS; i++) {
				WebClient instance = web.get((i % 2 == 0) ? first : second);
				racers.add(gate.asMono().then(Mono.defer(() -> refresh(instance, tokens.get("refreshToken")))));
			}
			Mono<List<Answer>> answers = Flux.merge(racers).collectList().cache();
			answers.subscribe();
			gate.tryEmitEmpty();
			List<Answer> all = answers.block(Duration.ofSeconds(30));

			assertThat(all).as("round %d", round).hasSize(RACERS);
			List<Answer> granted = all.stream().filter((answer) -> answer.status() == 200).toList();
			assertThat(granted).as("round %d: 200s", round).hasSize(1);
			assertThat(all.stream().filter((answer) -> answer.status() != 200)).as("round %d: the others", round)
				.hasSize(RACERS - 1)
				.allSatisfy((answer) -> {
					assertThat(answer.status()).isEqualTo(401);
					assertThat(answer.body()).contains("\"error\":\"invalid_grant\"");
				});
			// the 63 losers presented a rotated token: reuse, the session ends, its one
			// successor with it
			Map<String, Object> successor = granted.get(0).tokens();
			for (WebClient instance : web.values()) {
				Answer refused = refresh(instance, successor.get("refreshToken")).block(Duration.ofSeconds(10));
				assertThat(refused.status()).as("round %d: successor refreshed again", round).isEqualTo(401);
				assertThat(refused.body()).contains("\"error\":\"invalid_grant\"");
			}
			for (ConfigurableApplicationContext instance : List.of(first, second)) {
				EndedSessions revoked = instance.getBean(EndedSessions.class);
				Awaitility.await()
					.atMost(VISIBLE_WITHIN)
					.pollInterval(Duration.ofMillis(5))
					.until(() -> revoked.isRevoked(sessionId));
				assertRevoked(api(instance, successor));
			}
		}
		System.out.printf("%d rounds of %d concurrent refreshes of one token over two instances: one 200 each%n",
				RACE_ROUNDS, RACERS);
	}

	// last: closing an instance disposes Reactor Netty's global event loops, which the
	// other instances in this JVM share
	@Test
	@Order(5)
	void startWhenSessionsEndedBeforeThenALaterInstanceRefusesThemFromItsFirstRequest() {
		assertThat(ended).hasSize(REVOCATIONS);
		try (ConfigurableApplicationContext later = startInstance()) {
			for (Map<String, Object> tokens : ended) {
				assertRevoked(api(later, tokens));
			}
			assertAccepted(api(later, login(first)));
		}
	}

	@Test
	@Order(3)
	void loginWhenFailuresSpreadOverBothInstancesThenTheLockHoldsOnBoth() {
		for (int i = 0; i < 5; i++) {
			assertThat(loginStatus((i % 2 == 0) ? first : second, "eve")).isEqualTo(401);
		}

		assertThat(loginStatus(first, "eve")).isEqualTo(429);
		assertThat(loginStatus(second, "eve")).isEqualTo(429);
		assertThat(loginStatus(second, "alice")).as("another username from the address").isEqualTo(200);
	}

	private static int loginStatus(ConfigurableApplicationContext instance, String username) {
		return client(instance).post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", username, "password", "alice".equals(username) ? "pw" : "wrong"))
			.exchange()
			.expectBody(String.class)
			.returnResult()
			.getStatus()
			.value();
	}

	private static long percentile(List<Long> sorted, int percent) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
	}

	/**
	 * Calls per Redis command since the server started, without INFO (this very
	 * question).
	 */
	private static Map<String, Long> commandStats() {
		Map<String, Long> calls = new HashMap<>();
		for (String line : redis.command("INFO", "commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
				calls.put(name, Long.parseLong(count));
			}
		}
		return calls;
	}

	private static ConfigurableApplicationContext startInstance() {
		String routes = "--spring.cloud.gateway.server.webflux.routes";
		String uri = "http://127.0.0.1:" + backend.port();
		return new SpringApplicationBuilder(TollgateApplication.class).run("--server.port=0",
				"--management.server.port=0", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--tollgate.signing.algorithm=HS256",
				"--tollgate.signing.secret=" + SECRET, routes + "[0].id=login", routes + "[0].uri=" + uri,
				routes + "[0].predicates[0]=Path=/auth/login", routes + "[0].filters[0]=SetPath=/login",
				routes + "[0].filters[1]=IssueTokens", routes + "[1].id=api", routes + "[1].uri=" + uri,
				routes + "[1].predicates[0]=Path=/api/**");
	}

	private static WebClient webClient(ConfigurableApplicationContext instance) {
		return WebClient.create("http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port"));
	}

	/** A refresh's status and body, and the token response it carries when it is one. */
	private record Answer(int status, String body) {

		Map<String, Object> tokens() {
			return JsonMapper.shared().readValue(this.body, new TypeReference<Map<String, Object>>() {
			});
		}

	}

	private static Mono<Answer> refresh(WebClient instance, Object refreshToken) {
		return instance.post()
			.uri("/auth/refresh")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", refreshToken))
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(), body)));
	}

	private static final Map<ConfigurableApplicationContext, WebTestClient> clients = new HashMap<>();

	private static WebTestClient client(ConfigurableApplicationContext instance) {
		return clients.computeIfAbsent(instance,
				(context) -> WebTestClient.bindToServer()
					.baseUrl("http://127.0.0.1:" + context.getEnvironment().getProperty("local.server.port"))
					.defaultHeader(HttpHeaders.ACCEPT_ENCODING, "identity")
					.build());
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> login(ConfigurableApplicationContext instance) {
		return client(instance).post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", "alice", "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(Map.class)
			.returnResult()
			.getResponseBody();
	}

	private static void logout(ConfigurableApplicationContext instance, Map<String, Object> tokens) {
		client(instance).post()
			.uri("/auth/logout")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("refreshToken", tokens.get("refreshToken")))
			.exchange()
			.expectStatus()
			.isNoContent();
	}

	/**
	 * A call on the guarded route, its body read (an unread body keeps its connection
	 * from the pool).
	 */
	private static EntityExchangeResult<String> api(ConfigurableApplicationContext instance,
			Map<String, Object> tokens) {
		return client(instance).get()
			.uri("/api/items")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static void assertAccepted(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).isEqualTo(200);
	}

	private static void assertRevoked(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).isEqualTo(401);
		assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE))
			.isEqualTo("Bearer realm=\"tollgate\", error=\"invalid_token\", error_description=\"session revoked\"");
	}

}
