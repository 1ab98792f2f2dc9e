package dev.tollgate.backendit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.test.GatewayProcess;
import io.jsonwebtoken.Jwts;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed identity end to end: the real gateway jar in front of a Spring MVC service
 * (Tomcat) and a WebFlux service (Netty), each with
 * {@code tollgate-backend-spring-boot-starter} and nothing else of security. Through the
 * gateway, each service sees the verified user (principal, roles, {@code @PreAuthorize});
 * sent straight to a service, forged identity headers, no assertion, another service's
 * assertion, an expired one, one signed by another key and an access token in the
 * assertion header are all refused; a key rotation at the gateway reaches the services
 * without a restart.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedIdentityIT {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
	};

	/** Short, so that the expiry case waits seconds, not a minute. */
	private static final Duration ASSERTION_TTL = Duration.ofSeconds(5);

	@TempDir
	static Path keys;

	private static WireMockServer userService;

	private static ConfigurableApplicationContext mvc;

	private static ConfigurableApplicationContext flux;

	private static GatewayProcess gateway;

	private static int gatewayPort;

	private static KeyPair firstKey;

	@BeforeAll
	static void start() throws IOException {
		userService = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
		userService.start();
		stubLogin("alice", "{\"userId\":\"u-alice\",\"roles\":[\"user\"]}");
		stubLogin("bob", "{\"userId\":\"u-bob\",\"roles\":[\"user\",\"admin\"]}");
		gatewayPort = freePortBelowTheEphemeralRange();
		String gateway = "http://127.0.0.1:" + gatewayPort;
		// the MVC service reads the whole JWK Set, the WebFlux one the assertion keys
		// alone
		mvc = service(Services.Mvc.class, WebApplicationType.SERVLET, gateway + "/.well-known/jwks.json", "orders-mvc");
		flux = service(Services.Flux.class, WebApplicationType.REACTIVE,
				gateway + "/.well-known/tollgate-assertion-keys.json", "orders-flux");
		firstKey = ed25519();
		SignedIdentityIT.gateway = startGateway(key(0, "assert-1", "private-key", pem(firstKey, true)));
	}

	@AfterAll
	static void stop() {
		if (gateway != null) {
			gateway.close();
		}
		for (ConfigurableApplicationContext service : new ConfigurableApplicationContext[] { mvc, flux }) {
			if (service != null) {
				service.close();
			}
		}
		if (userService != null) {
			userService.stop();
		}
	}

	@Test
	@Order(1)
	void throughTheGatewayWhenAUserCallsThenEachServiceSeesTheVerifiedUserAndItsRoles() {
		Map<String, Object> alice = login("alice");
		String sessionId = alice.get("refreshToken").toString().split("\\.")[0];

		for (String service : List.of("mvc", "flux")) {
			Map<String, Object> me = viaGateway("/" + service + "/me", alice).expectStatus()
				.isOk()
				.expectBody(JSON)
				.returnResult()
				.getResponseBody();
			assertThat(me).containsEntry("name", "u-alice")
				.containsEntry("id", "u-alice")
				.containsEntry("authorities", List.of("ROLE_user"))
				.containsEntry("sessionId", sessionId);
			EntityExchangeResult<String> denied = viaGateway("/" + service + "/admin", alice).expectBody(String.class)
				.returnResult();
			assertThat(denied.getStatus().value()).as("%s: %s", service, denied.getResponseBody()).isEqualTo(403);
			viaGateway("/" + service + "/admin", login("bob")).expectStatus().isOk();
		}
	}

	@Test
	@Order(2)
	void throughTheGatewayWhenTheRouteSaysNotToForwardTheAccessTokenThenOnlyTheAssertionArrives() {
		Map<String, Object> alice = login("alice");

		assertThat(headersSeen("mvc", alice)).containsEntry("authorization", true);
		assertThat(headersSeen("flux", alice)).containsEntry("authorization", false);
	}

	@Test
	@Order(3)
	void straightToAServiceWhenForgedHeadersOrNoAssertionThenRefused() {
		for (WebTestClient service : List.of(client(mvc), client(flux))) {
			EntityExchangeResult<String> forged = service.get()
				.uri("/me")
				.header("X-User-Id", "u-bob")
				.header("X-User-Roles", "user,admin")
				.exchange()
				.expectBody(String.class)
				.returnResult();
			assertRefused(forged);
			assertRefused(service.get().uri("/admin").exchange().expectBody(String.class).returnResult());
		}
	}

	@Test
	@Order(4)
	void straightToAServiceWhenAnotherServicesAssertionOrAnAccessTokenOrAnotherKeyThenRefused() {
		Map<String, Object> alice = login("alice");
		String forFlux = (String) headersSeen("flux", alice).get("assertion");
		String forMvc = (String) headersSeen("mvc", alice).get("assertion");

		assertRefused(direct(mvc, forFlux));
		assertRefused(direct(flux, forMvc));
		assertRefused(direct(mvc, (String) alice.get("accessToken")));
		assertRefused(direct(mvc, mintedBy(ed25519(), "assert-1", "orders-mvc")));
		// the same claims, signed by the gateway's key, are accepted: the refusals are
		// about the key and the audience
		assertThat(direct(mvc, forMvc).getStatus().value()).isEqualTo(200);
	}

	@Test
	@Order(5)
	void straightToAServiceWhenTheAssertionHasExpiredThenRefused() {
		String assertion = (String) headersSeen("mvc", login("alice")).get("assertion");
		assertThat(direct(mvc, assertion).getStatus().value()).isEqualTo(200);

		Awaitility.await("the assertion's expiry")
			.atMost(ASSERTION_TTL.plusSeconds(10))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> direct(mvc, assertion).getStatus().value() == 401);
		assertRefused(direct(mvc, assertion));
	}

	@Test
	@Order(6)
	void keyRotationWhenTheGatewaySignsWithANewKeyThenTheServicesFollowWithoutARestart() {
		KeyPair next = ed25519();
		gateway.close();
		List<String> keys = new ArrayList<>(key(0, "assert-2", "private-key", pem(next, true)));
		keys.addAll(key(1, "assert-1", "public-key", pem(firstKey, false)));
		gateway = startGateway(keys);
		Map<String, Object> alice = login("alice");

		for (String service : List.of("mvc", "flux")) {
			// a service fetches the JWK Set again when it meets a new kid, at most every
			// 10 s
			Awaitility.await(service + " takes the new key")
				.atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> viaGateway("/" + service + "/me", alice).returnResult(String.class)
					.getStatus()
					.value() == 200);
		}
		String assertion = (String) headersSeen("mvc", alice).get("assertion");
		assertThat(new String(Base64.getUrlDecoder().decode(assertion.split("\\.")[0])))
			.contains("\"kid\":\"assert-2\"");
	}

	private static GatewayProcess startGateway(List<String> assertionKeys) {
		String routes = "--spring.cloud.gateway.server.webflux.routes";
		List<String> arguments = new ArrayList<>(List.of("--tollgate.store=memory",
				"--tollgate.signing.algorithm=RS256", "--tollgate.assertion.ttl=" + ASSERTION_TTL.toSeconds() + "s",
				routes + "[0].id=login", routes + "[0].uri=http://127.0.0.1:" + userService.port(),
				routes + "[0].predicates[0]=Path=/auth/login", routes + "[0].filters[0]=SetPath=/login",
				routes + "[0].filters[1]=IssueTokens", routes + "[1].id=mvc", routes + "[1].uri=" + baseUrl(mvc),
				routes + "[1].predicates[0]=Path=/mvc/**", routes + "[1].filters[0]=StripPrefix=1",
				routes + "[1].metadata.audience=orders-mvc", routes + "[2].id=flux",
				routes + "[2].uri=" + baseUrl(flux), routes + "[2].predicates[0]=Path=/flux/**",
				routes + "[2].filters[0]=StripPrefix=1", routes + "[2].metadata.audience=orders-flux",
				routes + "[2].metadata.forward-access-token=false"));
		arguments.addAll(assertionKeys);
		return GatewayProcess.launch("signed-identity-" + assertionKeys.size(), gatewayPort, arguments).awaitReady();
	}

	private static ConfigurableApplicationContext service(Class<?> application, WebApplicationType type, String jwksUri,
			String audience) {
		return new SpringApplicationBuilder(application).web(type)
			.run("--server.port=0", "--server.address=127.0.0.1", "--tollgate.backend.jwks-uri=" + jwksUri,
					"--tollgate.backend.audience=" + audience, "--tollgate.backend.clock-skew=1s",
					"--spring.main.banner-mode=off");
	}

	private static Map<String, Object> login(String username) {
		return gatewayClient().post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("username", username, "password", "pw"))
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private static WebTestClient.ResponseSpec viaGateway(String path, Map<String, Object> tokens) {
		return gatewayClient().get()
			.uri(path)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.get("accessToken"))
			// a client cannot bring its own assertion: the gateway drops it and adds its
			// own
			.header("X-Tollgate-Assertion", "forged")
			.exchange();
	}

	private static Map<String, Object> headersSeen(String service, Map<String, Object> tokens) {
		return viaGateway("/" + service + "/headers", tokens).expectStatus()
			.isOk()
			.expectBody(JSON)
			.returnResult()
			.getResponseBody();
	}

	private static EntityExchangeResult<String> direct(ConfigurableApplicationContext service, String assertion) {
		return client(service).get()
			.uri("/me")
			.header("X-Tollgate-Assertion", assertion)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static void assertRefused(EntityExchangeResult<String> result) {
		assertThat(result.getStatus().value()).isEqualTo(401);
		assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(result.getResponseBody()).contains("\"error\":\"invalid_token\"")
			.doesNotContain("Exception")
			.doesNotContain("eyJ");
	}

	/**
	 * An assertion with every claim right, signed by {@code key} under the gateway's kid.
	 */
	private static String mintedBy(KeyPair key, String kid, String audience) {
		Instant now = Instant.now();
		return Jwts.builder()
			.header()
			.type("tollgate-assertion+jwt")
			.keyId(kid)
			.and()
			.issuer("tollgate")
			.audience()
			.single(audience)
			.subject("u-bob")
			.claim("roles", List.of("user", "admin"))
			.issuedAt(Date.from(now))
			.expiration(Date.from(now.plusSeconds(60)))
			.id("forged")
			.signWith(key.getPrivate(), Jwts.SIG.EdDSA)
			.compact();
	}

	private static void stubLogin(String username, String answer) {
		userService.stubFor(post(urlEqualTo("/login"))
			.withRequestBody(equalToJson("{\"username\":\"" + username + "\",\"password\":\"pw\"}"))
			.willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(answer)));
	}

	private static List<String> key(int index, String id, String kind, Path pem) {
		String key = "--tollgate.assertion.keys[" + index + "].";
		return List.of(key + kind + "=file:" + pem, key + "id=" + id);
	}

	private static KeyPair ed25519() {
		try {
			return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path pem(KeyPair pair, boolean isPrivate) {
		byte[] der = isPrivate ? pair.getPrivate().getEncoded() : pair.getPublic().getEncoded();
		String type = isPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
		String text = "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
				+ type + "-----\n";
		try {
			return Files.writeString(Files.createTempFile(keys, "key-", ".pem"), text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static WebTestClient gatewayClient() {
		return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + gatewayPort).build();
	}

	private static WebTestClient client(ConfigurableApplicationContext service) {
		return WebTestClient.bindToServer().baseUrl(baseUrl(service)).build();
	}

	private static String baseUrl(ConfigurableApplicationContext service) {
		return "http://127.0.0.1:" + service.getEnvironment().getProperty("local.server.port");
	}

	/**
	 * A free port the services started before the gateway cannot take: they bind port 0,
	 * which the kernel serves from its ephemeral range (32768 and up on Linux).
	 */
	private static int freePortBelowTheEphemeralRange() {
		for (int attempt = 0; attempt < 200; attempt++) {
			int port = 20000 + ThreadLocalRandom.current().nextInt(12000);
			try (ServerSocket socket = new ServerSocket(port)) {
				return socket.getLocalPort();
			}
			catch (IOException ex) {
				// taken: try another
			}
		}
		return freePort();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
