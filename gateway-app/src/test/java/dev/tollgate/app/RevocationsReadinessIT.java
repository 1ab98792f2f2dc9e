package dev.tollgate.app;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.test.TestRedis;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An instance that starts while Redis does not answer cannot know which sessions ended
 * meanwhile, so it accepts their access tokens: it must not be ready (readiness 503
 * {@code OUT_OF_SERVICE}, liveness 200) until it has loaded the revocations once, and
 * then it refuses those tokens.
 */
class RevocationsReadinessIT {

	private static final String SECRET = Base64.getEncoder()
		.encodeToString("0123456789abcdef0123456789abcdef".getBytes());

	/**
	 * A session ended before the instance started, known to it only from its marker in
	 * Redis.
	 */
	private static final String ENDED_SESSION = "EEEEEEEEEEEEEEEEEEEEEA";

	/**
	 * Long enough for the instance to start and give up its first load (5 s) on a slow
	 * machine.
	 */
	private static final Duration REDIS_PAUSE = Duration.ofSeconds(25);

	private static TestRedis redis;

	private static WireMockServer backend;

	private static ConfigurableApplicationContext gateway;

	@BeforeAll
	static void start() {
		redis = TestRedis.start();
		backend = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		backend.start();
		backend.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		backend.stop();
		redis.close();
	}

	@Test
	void readinessWhenStartedWhileRedisDoesNotAnswerThenOutOfServiceUntilTheRevocationsLoaded() {
		long until = System.currentTimeMillis() + Duration.ofMinutes(16).toMillis();
		redis.command("SET", "tollgate:rt:{" + ENDED_SESSION + "}:revoked", Long.toString(until), "PX", "960000");
		long pausedAt = System.nanoTime();
		redis.command("CLIENT", "PAUSE", Long.toString(REDIS_PAUSE.toMillis()), "ALL");

		gateway = startInstance();
		WebTestClient management = client(gateway, "local.management.port");
		String accessToken = gateway.getBean(AccessTokenIssuer.class)
			.issue("u-1001", List.of("user"), ENDED_SESSION)
			.value();

		assertThat(Duration.ofNanos(System.nanoTime() - pausedAt)).as("still before Redis answers again")
			.isLessThan(REDIS_PAUSE);
		management.get()
			.uri("/actuator/health/readiness")
			.exchange()
			.expectStatus()
			.isEqualTo(503)
			.expectBody()
			.jsonPath("$.status")
			.isEqualTo("OUT_OF_SERVICE");
		management.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		// what readiness guards against: the ended session's token still passes here
		assertThat(api(gateway, accessToken).getStatus().value()).isEqualTo(200);

		Awaitility.await("readiness once Redis answers again")
			.atMost(REDIS_PAUSE.plusSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> management.get()
				.uri("/actuator/health/readiness")
				.exchange()
				.returnResult(String.class)
				.getStatus()
				.value() == 200);
		assertThat(gateway.getBean(EndedSessions.class).isRevoked(ENDED_SESSION)).isTrue();
		EntityExchangeResult<String> refused = api(gateway, accessToken);
		assertThat(refused.getStatus().value()).isEqualTo(401);
		assertThat(refused.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).contains("session revoked");
	}

	private static ConfigurableApplicationContext startInstance() {
		String routes = "--spring.cloud.gateway.server.webflux.routes";
		return new SpringApplicationBuilder(TollgateApplication.class).run("--server.port=0",
				"--management.server.port=0", "--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + redis.port(), "--spring.data.redis.timeout=1s",
				"--tollgate.signing.algorithm=HS256", "--tollgate.signing.secret=" + SECRET, routes + "[0].id=api",
				routes + "[0].uri=http://127.0.0.1:" + backend.port(), routes + "[0].predicates[0]=Path=/api/**");
	}

	private static WebTestClient client(ConfigurableApplicationContext instance, String portProperty) {
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + instance.getEnvironment().getProperty(portProperty))
			.responseTimeout(Duration.ofSeconds(10))
			.build();
	}

	private static EntityExchangeResult<String> api(ConfigurableApplicationContext instance, String accessToken) {
		return client(instance, "local.server.port").get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

}
