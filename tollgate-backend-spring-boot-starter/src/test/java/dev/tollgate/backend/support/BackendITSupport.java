package dev.tollgate.backend.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.backend.jwks.JwkSetCache;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real service with the starter (started by the subclass's {@code @SpringBootTest}),
 * the gateway's JWK Set served by WireMock on a free port whose content a test changes, a
 * {@link MutableClock} the service reads its time from, and a plain HTTP client.
 */
public abstract class BackendITSupport {

	/** The keys the gateway publishes at the start of every test. */
	protected static final TestKey ED = TestKey.ed25519("ed-1");

	protected static final TestKey EC = TestKey.es256("ec-1");

	/** A little more than the JWK Set's shortest refetch interval. */
	protected static final Duration REFETCH_ALLOWED = JwkSetCache.MIN_FETCH_INTERVAL.plusSeconds(1);

	protected static final String JWKS_PATH = "/.well-known/tollgate-assertion-keys.json";

	@RegisterExtension
	protected static final WireMockExtension gateway = WireMockExtension.newInstance()
		.options(wireMockConfig().dynamicPort())
		.build();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@LocalServerPort
	private int port;

	@Autowired
	protected MutableClock clock;

	@DynamicPropertySource
	static void backendProperties(DynamicPropertyRegistry registry) {
		registry.add("tollgate.backend.jwks-uri", () -> gateway.baseUrl() + JWKS_PATH);
		registry.add("tollgate.backend.audience", () -> AssertionMinter.AUDIENCE);
	}

	@Autowired
	private JwkSetCache keys;

	/**
	 * Publishes {@link #ED} and {@link #EC} and has the service fetch them, so that each
	 * test starts with a fresh set of known keys, no request counted, and no further
	 * fetch allowed until the test moves the clock past {@link #REFETCH_ALLOWED}.
	 */
	@BeforeEach
	void publishKeys() throws Exception {
		publish(ED, EC);
		this.clock.advance(REFETCH_ALLOWED);
		this.keys.find("no-such-kid").get(10, TimeUnit.SECONDS);
		assertThat(this.keys.keyIds()).containsExactlyInAnyOrder(ED.id(), EC.id());
		gateway.resetRequests();
	}

	protected static void publish(TestKey... keys) {
		gateway.stubFor(WireMock.get(JWKS_PATH).willReturn(okJson(TestKey.jwkSet(keys))));
	}

	protected Instant now() {
		return this.clock.instant();
	}

	/** GET {@code path} with header name/value pairs. */
	protected HttpResponse<String> get(String path, String... headers) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** GET {@code path} with {@code assertion} in the assertion header. */
	protected HttpResponse<String> getWith(String path, String assertion) throws Exception {
		return get(path, "X-Tollgate-Assertion", assertion);
	}

	protected static JsonNode json(HttpResponse<String> response) {
		return JsonMapper.shared().readTree(response.body());
	}

	/** A 200 whose body is the /me view of {@code id} with {@code roles}. */
	protected static void assertIdentity(HttpResponse<String> response, String id, List<String> roles) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode body = json(response);
		assertThat(body.path("name").asString()).isEqualTo(id);
		assertThat(body.path("principal").path("id").asString()).isEqualTo(id);
		assertThat(body.path("principal").path("roles").valueStream().map(JsonNode::asString).toList())
			.isEqualTo(roles);
		assertThat(body.path("authorities").valueStream().map(JsonNode::asString).toList())
			.containsExactlyInAnyOrderElementsOf(roles.stream().map((role) -> "ROLE_" + role).toList());
	}

	/**
	 * The contract's 401: problem+json with {@code detail}, the
	 * {@code Tollgate-Assertion} challenge (with the error code when an assertion was
	 * refused), no stack trace, and nothing of {@code assertion} echoed.
	 */
	protected static void assertUnauthorized(HttpResponse<String> response, String detail, String assertion) {
		assertProblem(response, 401, "Unauthorized", detail, "invalid_token", assertion);
		String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
		if (assertion == null) {
			assertThat(challenge).isEqualTo("Tollgate-Assertion realm=\"tollgate\"");
		}
		else {
			assertThat(challenge).isEqualTo("Tollgate-Assertion realm=\"tollgate\", error=\"invalid_token\", "
					+ "error_description=\"" + detail + "\"");
		}
	}

	protected static void assertForbidden(HttpResponse<String> response, String assertion) {
		assertProblem(response, 403, "Forbidden", "access denied", "access_denied", assertion);
		assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
	}

	private static void assertProblem(HttpResponse<String> response, int status, String title, String detail,
			String error, String assertion) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		JsonNode body = json(response);
		assertThat(body.properties()).hasSize(5);
		assertThat(body.path("type").asString()).isEqualTo("about:blank");
		assertThat(body.path("title").asString()).isEqualTo(title);
		assertThat(body.path("status").asInt()).isEqualTo(status);
		assertThat(body.path("detail").asString()).isEqualTo(detail);
		assertThat(body.path("error").asString()).isEqualTo(error);
		assertNothingLeaked(response, assertion);
	}

	/** No stack trace, no part of the assertion, in the body or the headers. */
	protected static void assertNothingLeaked(HttpResponse<String> response, String assertion) {
		String everything = response.body() + response.headers().map();
		assertThat(everything).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.tollgate");
		if (assertion != null) {
			for (String segment : assertion.split("\\.")) {
				if (segment.length() > 8) {
					assertThat(everything).doesNotContain(segment);
				}
			}
		}
	}

}
