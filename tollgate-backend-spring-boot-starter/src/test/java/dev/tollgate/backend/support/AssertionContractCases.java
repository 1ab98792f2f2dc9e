package dev.tollgate.backend.support;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import dev.tollgate.backend.jwks.JwkSetCache;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.serviceUnavailable;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.tollgate.backend.support.AssertionMinter.claimsJson;
import static dev.tollgate.backend.support.AssertionMinter.mint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a service with the starter answers, whatever its web stack: the cases of issue 24
 * against a real server. The service's {@code /me} shows the user, {@code /admin} is
 * {@code @PreAuthorize("hasRole('admin')")}, {@code /public/**} is listed in
 * {@code tollgate.backend.public-paths} and {@code /boom} fails.
 */
public abstract class AssertionContractCases extends BackendITSupport {

	@Autowired
	private ApplicationContext context;

	/** The simple name of the web server the service runs on. */
	protected abstract String expectedWebServer();

	@Test
	void serverWhenStartedThenRunsOnTheStackUnderTest() {
		assertThat(((WebServerApplicationContext) this.context).getWebServer().getClass().getSimpleName())
			.isEqualTo(expectedWebServer());
	}

	@Test
	void meWhenValidEd25519AssertionThenControllerSeesNameRolesAndAuthenticationPrincipal() throws Exception {
		String assertion = mint(ED, now(), (b) -> b.claim("roles", List.of("user", "auditor")));
		HttpResponse<String> response = getWith("/me", assertion);
		assertIdentity(response, "alice", List.of("user", "auditor"));
		assertThat(json(response).path("principal").path("sessionId").asString()).isEqualTo("session-1");
	}

	@Test
	void meWhenValidEs256AssertionThenAccepted() throws Exception {
		assertIdentity(getWith("/me", mint(EC, now(), (b) -> b.subject("bob"))), "bob", List.of("user"));
	}

	@Test
	void adminWhenUserLacksAdminRoleThen403AndWithItThen200() throws Exception {
		String user = mint(ED, now());
		assertForbidden(getWith("/admin", user), user);
		String admin = mint(ED, now(), (b) -> b.claim("roles", List.of("user", "admin")));
		HttpResponse<String> response = getWith("/admin", admin);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).path("admin").asString()).isEqualTo("alice");
	}

	@Test
	void meWhenForgedIdentityHeadersAndNoAssertionThen401() throws Exception {
		HttpResponse<String> response = get("/me", "X-User-Id", "admin", "X-User-Roles", "admin");
		assertUnauthorized(response, "assertion required", null);
		assertUnauthorized(get("/admin", "X-User-Id", "admin", "X-User-Roles", "admin"), "assertion required", null);
	}

	@Test
	void meWhenAssertionForAnotherAudienceThen401() throws Exception {
		String billing = mint(ED, now(), (b) -> AssertionMinter.audience(b, "billing-service"));
		assertUnauthorized(getWith("/me", billing), "invalid aud claim", billing);
	}

	@Test
	void meWhenExpiredBeyondSkewThen401AndWithinSkewThen200() throws Exception {
		Instant issued = now().minusSeconds(60);
		String expired = mint(ED, issued, (b) -> b.expiration(Date.from(issued.plusSeconds(49))));
		assertUnauthorized(getWith("/me", expired), "assertion expired", expired);
		String withinSkew = mint(ED, issued, (b) -> b.expiration(Date.from(issued.plusSeconds(52))));
		assertIdentity(getWith("/me", withinSkew), "alice", List.of("user"));
	}

	@Test
	void meWhenSignedByKeyNotInJwkSetThen401() throws Exception {
		TestKey stranger = TestKey.ed25519("stranger");
		this.clock.advance(REFETCH_ALLOWED);
		String unknownKid = mint(stranger, now());
		assertUnauthorized(getWith("/me", unknownKid), "unknown kid", unknownKid);
		gateway.verify(1, getRequestedFor(urlEqualTo(JWKS_PATH)));
		String borrowedKid = mint(stranger.withId(ED.id()), now());
		assertUnauthorized(getWith("/me", borrowedKid), "invalid signature", borrowedKid);
	}

	@Test
	void meWhenAccessTokenPastedIntoAssertionHeaderThen401() throws Exception {
		String accessToken = mint(ED, now(), (b) -> AssertionMinter.audience(b.header().type("at+jwt").and(), "api"));
		assertUnauthorized(getWith("/me", accessToken), "not an assertion (typ)", accessToken);
	}

	@Test
	void meWhenAlgorithmNoneOrHs256Then401() throws Exception {
		String header = "{\"typ\":\"tollgate-assertion+jwt\",\"alg\":\"none\",\"kid\":\"ed-1\"}";
		String none = AssertionMinter.unsigned(header, claimsJson(now()), "");
		assertUnauthorized(getWith("/me", none), "malformed assertion", none);
		String noneWithSignature = AssertionMinter.unsigned(header, claimsJson(now()), "c2lnbmF0dXJl");
		assertUnauthorized(getWith("/me", noneWithSignature), "algorithm not accepted", noneWithSignature);
		String hmac = AssertionMinter.mintHs256(ED.keyPair().getPublic().getEncoded(), ED.id(), now());
		assertUnauthorized(getWith("/admin", hmac), "algorithm not accepted", hmac);
	}

	@Test
	void meWhenAssertionHeaderSentTwiceThen401() throws Exception {
		String assertion = mint(ED, now());
		HttpResponse<String> response = get("/me", "X-Tollgate-Assertion", assertion, "X-Tollgate-Assertion",
				assertion);
		assertUnauthorized(response, "more than one assertion", assertion);
	}

	@Test
	void publicPathWhenNoAssertionThenAnswered() throws Exception {
		HttpResponse<String> response = get("/public/ping", "X-User-Id", "admin");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(json(response).path("pong").asBoolean()).isTrue();
	}

	@Test
	void boomWhenControllerFailsForAuthenticatedUserThen500WithoutStackTrace() throws Exception {
		String assertion = mint(ED, now());
		HttpResponse<String> response = getWith("/boom", assertion);
		assertThat(response.statusCode()).isEqualTo(500);
		assertNothingLeaked(response, assertion);
	}

	@Test
	void meWhenJwkSetGainsKeyThenItsAssertionsAcceptedWithoutRestartAndOldKeyWorksUntilRetired() throws Exception {
		TestKey rotated = TestKey.ed25519("ed-2");
		assertIdentity(getWith("/me", mint(ED, now())), "alice", List.of("user"));
		publish(rotated, ED, EC);
		this.clock.advance(REFETCH_ALLOWED);
		assertIdentity(getWith("/me", mint(rotated, now(), (b) -> b.subject("carol"))), "carol", List.of("user"));
		assertIdentity(getWith("/me", mint(ED, now())), "alice", List.of("user"));
		gateway.verify(1, getRequestedFor(urlEqualTo(JWKS_PATH)));

		publish(rotated, EC);
		this.clock.advance(JwkSetCache.REFRESH_INTERVAL);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			String retired = mint(ED, now());
			assertUnauthorized(getWith("/me", retired), "unknown kid", retired);
		});
		assertIdentity(getWith("/me", mint(rotated, now())), "alice", List.of("user"));
	}

	@Test
	void meWhenJwkSetEndpointDownThen401ForUnknownKeyAndLastGoodSetStillVerifies() throws Exception {
		assertIdentity(getWith("/me", mint(ED, now())), "alice", List.of("user"));
		gateway.stubFor(WireMock.get(JWKS_PATH).willReturn(serviceUnavailable()));
		this.clock.advance(REFETCH_ALLOWED);
		String unknown = mint(TestKey.ed25519("ed-3"), now());
		assertUnauthorized(getWith("/me", unknown), "unknown kid", unknown);
		gateway.verify(1, getRequestedFor(urlEqualTo(JWKS_PATH)));
		assertIdentity(getWith("/me", mint(EC, now())), "alice", List.of("user"));

		gateway.stubFor(WireMock.get(JWKS_PATH).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
		this.clock.advance(REFETCH_ALLOWED);
		assertUnauthorized(getWith("/me", unknown), "unknown kid", unknown);
		gateway.verify(2, getRequestedFor(urlEqualTo(JWKS_PATH)));
		assertIdentity(getWith("/me", mint(ED, now())), "alice", List.of("user"));
	}

}
