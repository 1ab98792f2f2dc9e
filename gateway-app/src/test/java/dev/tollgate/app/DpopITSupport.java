package dev.tollgate.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.tollgate.test.DpopProofBuilder;
import dev.tollgate.test.DpopProofs;
import dev.tollgate.test.GatewayProcess;
import dev.tollgate.test.TestRedis;
import io.jsonwebtoken.security.Jwks;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two processes of the real gateway jar sharing one real {@code redis-server}, reached
 * under one public name as behind a load balancer: every request carries
 * {@code Host: gateway.test}, so a proof's {@code htu} is the same on both instances and
 * a proof presented to the other instance is a replay, not a wrong URL. WireMock plays
 * the user service ({@code POST /login}: alice/pw is {@code u-1001}, role {@code user})
 * and the upstream ({@code /api/**}). Routes: {@code /auth/login} ({@code IssueTokens}),
 * {@code /api/**}, {@code /strip/**} ({@code StripPrefix=1}) and {@code /dpop-only/**}
 * ({@code StripPrefix=1}, metadata {@code dpop: required}). Subclasses give the DPoP
 * settings of both instances; the instances live as long as the test class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class DpopITSupport {

	/** The public host name both instances are reached under. */
	static final String HOST = "gateway.test";

	/** The URL the client uses, without a path. */
	static final String ORIGIN = "http://" + HOST;

	/** {@code tollgate.dpop.algorithms}' default, announced in {@code algs}. */
	static final List<String> ALGORITHMS = List.of("ES256", "EdDSA", "RS256", "PS256");

	static final String USER_ID = "u-1001";

	private static final Pattern ALGS = Pattern.compile("algs=\"([^\"]*)\"");

	TestRedis redis;

	WireMockServer backend;

	GatewayProcess first;

	GatewayProcess second;

	/**
	 * The server nonce put into every login and refresh proof, when the subclass has one.
	 */
	String nonce;

	private Path keyDir;

	private final Map<GatewayProcess, WebTestClient> clients = new HashMap<>();

	/**
	 * Settings of both instances beyond the common ones (Redis, the signing key, the
	 * routes), as {@code --key=value}.
	 */
	abstract List<String> settings();

	@BeforeAll
	void startGateways() throws IOException {
		this.redis = TestRedis.start();
		this.backend = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		this.backend.start();
		this.backend.stubFor(post(urlEqualTo("/login")).atPriority(9).willReturn(aResponse().withStatus(401)));
		this.backend.stubFor(
				post(urlEqualTo("/login")).withRequestBody(equalToJson("{\"username\":\"alice\",\"password\":\"pw\"}"))
					.willReturn(aResponse().withStatus(200)
						.withHeader("Content-Type", "application/json")
						.withBody("{\"userId\":\"" + USER_ID + "\",\"roles\":[\"user\"]}")));
		this.backend.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(200).withBody("ok")));
		this.keyDir = Files.createTempDirectory("dpop-it-");
		List<String> arguments = arguments(signingKey(this.keyDir));
		String name = getClass().getSimpleName();
		// both at once: a start takes seconds
		this.first = GatewayProcess.launch(name + "-1", arguments);
		this.second = GatewayProcess.launch(name + "-2", arguments);
		this.first.awaitReady();
		this.second.awaitReady();
	}

	@AfterAll
	void stopGateways() throws IOException {
		for (GatewayProcess gateway : new GatewayProcess[] { this.first, this.second }) {
			if (gateway != null) {
				gateway.close();
			}
		}
		if (this.backend != null) {
			this.backend.stop();
		}
		if (this.redis != null) {
			this.redis.close();
		}
		if (this.keyDir != null) {
			try (var files = Files.list(this.keyDir)) {
				for (Path file : files.toList()) {
					Files.delete(file);
				}
			}
			Files.delete(this.keyDir);
		}
	}

	@BeforeEach
	void forgetRequests() {
		this.backend.resetRequests();
	}

	private List<String> arguments(Path signingKey) {
		String routes = "--spring.cloud.gateway.server.webflux.routes";
		String uri = "http://127.0.0.1:" + this.backend.port();
		List<String> arguments = new ArrayList<>(List.of("--spring.data.redis.host=127.0.0.1",
				"--spring.data.redis.port=" + this.redis.port(), "--spring.data.redis.timeout=2s",
				// one key for both instances: each verifies the other's tokens, and both
				// derive the same nonces from it
				"--tollgate.signing.algorithm=ES256", "--tollgate.signing.keys[0].id=dpop-it",
				"--tollgate.signing.keys[0].private-key=file:" + signingKey, routes + "[0].id=login",
				routes + "[0].uri=" + uri, routes + "[0].predicates[0]=Path=/auth/login",
				routes + "[0].predicates[1]=Method=POST", routes + "[0].filters[0]=SetPath=/login",
				routes + "[0].filters[1]=IssueTokens", routes + "[1].id=api", routes + "[1].uri=" + uri,
				routes + "[1].predicates[0]=Path=/api/**", routes + "[2].id=strip", routes + "[2].uri=" + uri,
				routes + "[2].predicates[0]=Path=/strip/**", routes + "[2].filters[0]=StripPrefix=1",
				routes + "[3].id=dpop-only", routes + "[3].uri=" + uri, routes + "[3].predicates[0]=Path=/dpop-only/**",
				routes + "[3].filters[0]=StripPrefix=1", routes + "[3].metadata.dpop=required"));
		arguments.addAll(settings());
		return arguments;
	}

	private static Path signingKey(Path dir) throws IOException {
		KeyPair pair = DpopProofs.es256();
		String pem = "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(pair.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		return Files.writeString(dir.resolve("signing-key.pem"), pem);
	}

	// ---- requests

	/** What came back: status, headers and body (empty when none). */
	record Answer(int status, HttpHeaders headers, String body) {

		Map<String, Object> json() {
			return JsonMapper.shared().readValue(this.body, new TypeReference<Map<String, Object>>() {
			});
		}

		String accessToken() {
			return (String) json().get("accessToken");
		}

		String refreshToken() {
			return (String) json().get("refreshToken");
		}

	}

	/** A proof for a login on the public URL (with the server nonce, if any). */
	DpopProofBuilder loginProof(KeyPair key) {
		return withNonce(DpopProofs.proof(key).htm("POST").htu(ORIGIN + "/auth/login"));
	}

	/** A proof for a refresh on the public URL (with the server nonce, if any). */
	DpopProofBuilder refreshProof(KeyPair key) {
		return withNonce(DpopProofs.proof(key).htm("POST").htu(ORIGIN + "/auth/refresh"));
	}

	/** A proof for {@code GET path} with {@code accessToken}. */
	static DpopProofBuilder accessProof(KeyPair key, String path, String accessToken) {
		return DpopProofs.proof(key).htm("GET").htu(ORIGIN + path).ath(accessToken);
	}

	private DpopProofBuilder withNonce(DpopProofBuilder proof) {
		return (this.nonce != null) ? proof.nonce(this.nonce) : proof;
	}

	/** Logs alice in, with {@code proof} as the {@code DPoP} header when not null. */
	Answer login(GatewayProcess gateway, String proof) {
		return login(gateway, proof, (headers) -> {
		});
	}

	Answer login(GatewayProcess gateway, String proof, Consumer<HttpHeaders> more) {
		return exchange(gateway, HttpMethod.POST, "/auth/login", Map.of("username", "alice", "password", "pw"),
				(headers) -> {
					dpop(headers, proof);
					more.accept(headers);
				});
	}

	/** Logs alice in with a fresh proof by {@code key} and checks the answer is bound. */
	Answer loginBound(GatewayProcess gateway, KeyPair key) {
		Answer tokens = login(gateway, loginProof(key).sign());
		assertBoundTo(tokens, key);
		return tokens;
	}

	/** A refresh, with {@code proof} as the {@code DPoP} header when not null. */
	Answer refresh(GatewayProcess gateway, String refreshToken, String proof) {
		return exchange(gateway, HttpMethod.POST, "/auth/refresh", Map.of("refreshToken", refreshToken),
				(headers) -> dpop(headers, proof));
	}

	/**
	 * {@code GET path} with {@code Authorization: DPoP} and a fresh proof by {@code key}.
	 */
	Answer access(GatewayProcess gateway, String path, String accessToken, KeyPair key) {
		return get(gateway, path, "DPoP " + accessToken, accessProof(key, path, accessToken).sign());
	}

	/**
	 * {@code GET path} with {@code authorization} and {@code proof}, each when not null.
	 */
	Answer get(GatewayProcess gateway, String path, String authorization, String proof) {
		return get(gateway, path, authorization, proof, (headers) -> {
		});
	}

	Answer get(GatewayProcess gateway, String path, String authorization, String proof, Consumer<HttpHeaders> more) {
		return exchange(gateway, HttpMethod.GET, path, null, (headers) -> {
			if (authorization != null) {
				headers.set(HttpHeaders.AUTHORIZATION, authorization);
			}
			dpop(headers, proof);
			more.accept(headers);
		});
	}

	Answer exchange(GatewayProcess gateway, HttpMethod method, String path, Object body,
			Consumer<HttpHeaders> headers) {
		WebTestClient.RequestBodySpec request = client(gateway).method(method).uri(path).headers(headers);
		WebTestClient.RequestHeadersSpec<?> ready = (body != null)
				? request.contentType(MediaType.APPLICATION_JSON).bodyValue(body) : request;
		EntityExchangeResult<String> result = ready.exchange().expectBody(String.class).returnResult();
		String text = result.getResponseBody();
		return new Answer(result.getStatus().value(), result.getResponseHeaders(), (text != null) ? text : "");
	}

	private static void dpop(HttpHeaders headers, String proof) {
		if (proof != null) {
			headers.set("DPoP", proof);
		}
	}

	private WebTestClient client(GatewayProcess gateway) {
		return this.clients.computeIfAbsent(gateway,
				(process) -> WebTestClient.bindToServer()
					.baseUrl("http://127.0.0.1:" + process.port())
					.defaultHeader(HttpHeaders.HOST, HOST)
					.defaultHeader(HttpHeaders.ACCEPT_ENCODING, "identity")
					.responseTimeout(Duration.ofSeconds(10))
					.build());
	}

	// ---- what the gateway did

	/** Calls the user service got since the test began. */
	int userServiceCalls() {
		return this.backend.findAll(postRequestedFor(urlEqualTo("/login"))).size();
	}

	/** Requests the upstream got since the test began. */
	List<LoggedRequest> upstreamRequests() {
		return this.backend.findAll(anyRequestedFor(urlPathMatching("/api/.*")));
	}

	/**
	 * Every session key in the store with its serialised value: equal before and after a
	 * request means that request created, rotated and ended nothing.
	 */
	Map<String, String> storedSessions() {
		Map<String, String> sessions = new TreeMap<>();
		String keys = this.redis.command("KEYS", "tollgate:rt:*");
		if (keys != null && !keys.isEmpty()) {
			for (String key : keys.split("\n")) {
				sessions.put(key, this.redis.command("DUMP", key));
			}
		}
		return sessions;
	}

	/**
	 * Calls per Redis command since the server started, {@code INFO} aside (this very
	 * question).
	 */
	Map<String, Long> redisCommands() {
		Map<String, Long> calls = new TreeMap<>();
		for (String line : this.redis.command("INFO", "commandstats").split("\r?\n")) {
			if (line.startsWith("cmdstat_") && !line.startsWith("cmdstat_info:")) {
				String name = line.substring("cmdstat_".length(), line.indexOf(':'));
				String count = line.substring(line.indexOf("calls=") + 6, line.indexOf(','));
				calls.put(name, Long.parseLong(count));
			}
		}
		return calls;
	}

	// ---- assertions

	/**
	 * A 200 token response for a DPoP-bound session: {@code tokenType: DPoP}, the access
	 * token's {@code cnf.jkt} the RFC 7638 thumbprint of {@code key}'s public half.
	 */
	static void assertBoundTo(Answer tokens, KeyPair key) {
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(tokens.json()).containsEntry("tokenType", "DPoP").containsKey("refreshToken");
		assertThat(claims(tokens.accessToken())).extracting("cnf")
			.isEqualTo(Map.of("jkt", thumbprint(key.getPublic())));
	}

	/**
	 * The RFC 7638 SHA-256 thumbprint, computed by jjwt: apart from both the gateway's
	 * code and the proofs' test helper.
	 */
	static String thumbprint(PublicKey key) {
		return Jwks.builder().key(key).build().thumbprint().toString();
	}

	static Map<String, Object> claims(String jwt) {
		byte[] payload = Base64.getUrlDecoder().decode(jwt.split("\\.")[1]);
		return JsonMapper.shared().readValue(payload, new TypeReference<Map<String, Object>>() {
		});
	}

	/**
	 * An RFC 9457 problem with {@code status} and {@code error}, echoing no token or
	 * proof.
	 */
	static void assertProblem(Answer answer, int status, String error) {
		assertThat(answer.status()).as(answer.body()).isEqualTo(status);
		assertThat(answer.headers().getContentType()).as(answer.body())
			.isNotNull()
			.matches((type) -> type.isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
		assertThat(answer.json()).as(answer.body()).containsEntry("error", error);
		assertThat(answer.body()).doesNotContain("eyJ").doesNotContain("Exception");
	}

	/**
	 * RFC 9449 §7.1: a {@code DPoP} challenge naming {@code error} and, in {@code algs},
	 * the algorithms a proof may use.
	 */
	static void assertDpopChallenge(Answer answer, String error) {
		String challenge = dpopChallenge(answer);
		assertThat(challenge).as("the DPoP challenge").contains("error=\"" + error + "\"");
		Matcher algs = ALGS.matcher(challenge);
		assertThat(algs.find()).as("algs in %s", challenge).isTrue();
		assertThat(Arrays.asList(algs.group(1).split(" "))).containsExactlyInAnyOrderElementsOf(ALGORITHMS);
	}

	/**
	 * The {@code DPoP} challenge among the {@code WWW-Authenticate} values (one header
	 * each, or several joined in one).
	 */
	static String dpopChallenge(Answer answer) {
		List<String> values = answer.headers().getOrEmpty(HttpHeaders.WWW_AUTHENTICATE);
		String all = String.join(", ", values);
		int start = all.indexOf("DPoP ");
		assertThat(start).as("a DPoP challenge in %s", values).isNotNegative();
		int bearer = all.indexOf("Bearer ", start);
		return (bearer < 0) ? all.substring(start) : all.substring(start, bearer);
	}

	/** A refused login: nothing asked of the user service, no session in the store. */
	void assertLoginRefused(Answer answer, String error, Map<String, String> sessionsBefore) {
		assertProblem(answer, 400, error);
		assertThat(userServiceCalls()).as("calls to the user service").isZero();
		assertThat(storedSessions()).as("sessions in the store").isEqualTo(sessionsBefore);
	}

	/** A refused resource request: 401, a DPoP challenge, nothing upstream. */
	void assertAccessRefused(Answer answer, String error) {
		assertProblem(answer, 401, error);
		assertDpopChallenge(answer, error);
		assertThat(upstreamRequests()).as("requests upstream").isEmpty();
	}

}
