package dev.tollgate.backend.assertion;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.tollgate.backend.jwks.JwkSetCache;
import dev.tollgate.backend.jwks.JwkSetFetcher;
import dev.tollgate.backend.support.AssertionMinter;
import dev.tollgate.backend.support.JwkSetServer;
import dev.tollgate.backend.support.TestKey;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.tollgate.backend.support.AssertionMinter.claimsJson;
import static dev.tollgate.backend.support.AssertionMinter.headerJson;
import static dev.tollgate.backend.support.AssertionMinter.mint;
import static dev.tollgate.backend.support.AssertionMinter.signRaw;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class AssertionVerifierTests {

	private static final TestKey ED = TestKey.ed25519("ed-1");

	private static final TestKey EC = TestKey.es256("ec-1");

	private final JwkSetServer server = new JwkSetServer();

	private final MutableClock clock = MutableClock.startingNow();

	private final AssertionVerifier verifier = new AssertionVerifier(
			new AssertionSettings("tollgate", AssertionMinter.AUDIENCE, Duration.ofSeconds(10)),
			new JwkSetCache(new JwkSetFetcher(this.server.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2)),
					this.clock),
			this.clock);

	@BeforeEach
	void serveKeys() {
		this.server.serve(TestKey.jwkSet(ED, EC));
	}

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void verifyWhenEd25519AssertionThenPrincipalWithIdRolesAndSession() throws Exception {
		TollgatePrincipal principal = verify(mint(ED, now(), (b) -> b.claim("roles", List.of("user", "admin"))));
		assertThat(principal).isEqualTo(new TollgatePrincipal("alice", List.of("user", "admin"), "session-1"));
		assertThat(principal.getName()).isEqualTo("alice");
	}

	@Test
	void verifyWhenEs256AssertionWithoutRolesOrSessionThenPrincipalWithNone() throws Exception {
		TollgatePrincipal principal = verify(mint(EC, now(), (b) -> b.claims().delete("roles").delete("sid").and()));
		assertThat(principal).isEqualTo(new TollgatePrincipal("alice", List.of(), null));
	}

	@Test
	void verifyWhenAccessTokenTypeThenRefused() {
		assertRefused(mint(ED, now(), (b) -> b.header().type("at+jwt")), "not an assertion (typ)");
		assertRefused(mint(ED, now(), (b) -> b.header().type("application/tollgate-assertion+jwt")),
				"not an assertion (typ)");
		assertRefused(mint(ED, now(), (b) -> b.header().type(null)), "not an assertion (typ)");
	}

	@Test
	void verifyWhenAlgorithmNoneOrHmacThenRefused() {
		String none = "{\"typ\":\"tollgate-assertion+jwt\",\"alg\":\"none\",\"kid\":\"ed-1\"}";
		assertRefused(AssertionMinter.unsigned(none, claimsJson(now()), ""), "malformed assertion");
		assertRefused(AssertionMinter.unsigned(none, claimsJson(now()), "AAAA"), "algorithm not accepted");
		String hmac = AssertionMinter.mintHs256(new byte[32], "ed-1", now());
		assertRefused(hmac, "algorithm not accepted");
	}

	@Test
	void verifyWhenAlgorithmOfAnotherKeyTypeThenRefused() {
		String header = "{\"typ\":\"tollgate-assertion+jwt\",\"alg\":\"ES256\",\"kid\":\"ed-1\"}";
		assertRefused(signRaw(ED, header, claimsJson(now())), "algorithm does not match the key");
	}

	@Test
	void verifyWhenKeyNotInSetThenRefusedAfterOneFetch() {
		TestKey stranger = TestKey.ed25519("stranger");
		assertRefused(mint(stranger, now()), "unknown kid");
		assertRefused(mint(stranger.withId("ed-1"), now()), "invalid signature");
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void verifyWhenSignatureAlteredThenRefused() {
		String assertion = mint(ED, now());
		int signature = assertion.lastIndexOf('.') + 1;
		char other = (assertion.charAt(signature) == 'A') ? 'B' : 'A';
		String altered = assertion.substring(0, signature) + other + assertion.substring(signature + 1);
		assertRefused(altered, "invalid signature");
		String payloadSwapped = mint(ED, now(), (b) -> b.subject("admin"));
		String[] genuine = assertion.split("\\.");
		String[] forged = payloadSwapped.split("\\.");
		assertRefused(genuine[0] + "." + forged[1] + "." + genuine[2], "invalid signature");
	}

	@Test
	void verifyWhenIssuerOrAudienceWrongThenRefused() throws Exception {
		assertRefused(mint(ED, now(), (b) -> b.issuer("someone-else")), "invalid iss claim");
		assertRefused(mint(ED, now(), (b) -> AssertionMinter.audience(b, "billing-service")), "invalid aud claim");
		assertRefused(mint(ED, now(), (b) -> b.claims().delete("aud").and()), "invalid aud claim");
		String twoAudiences = claimsJson(now()).replace("\"aud\":\"orders-service\"",
				"\"aud\":[\"orders-service\",\"billing-service\"]");
		assertRefused(signRaw(ED, headerJson(ED), twoAudiences), "malformed assertion");
		String oneAudienceInArray = claimsJson(now()).replace("\"aud\":\"orders-service\"",
				"\"aud\":[\"orders-service\"]");
		assertThat(verify(signRaw(ED, headerJson(ED), oneAudienceInArray)).id()).isEqualTo("alice");
	}

	@Test
	void verifyWhenExpiredBeyondSkewThenRefusedAndWithinSkewAccepted() throws Exception {
		Instant issued = now().minusSeconds(70);
		String expiredFiveSecondsAgo = mint(ED, issued, (b) -> b.expiration(Date.from(issued.plusSeconds(65))));
		assertThat(verify(expiredFiveSecondsAgo).id()).isEqualTo("alice");
		String expiredElevenSecondsAgo = mint(ED, issued, (b) -> b.expiration(Date.from(issued.plusSeconds(59))));
		assertRefused(expiredElevenSecondsAgo, "assertion expired");
	}

	@Test
	void verifyWhenTimesMissingOrNotNumbersThenRefused() {
		assertRefused(mint(ED, now(), (b) -> b.expiration(null)), "missing exp claim");
		assertRefused(mint(ED, now(), (b) -> b.issuedAt(null)), "missing iat claim");
		String stringExp = claimsJson(now()).replaceFirst("\"exp\":(\\d+)", "\"exp\":\"$1\"");
		assertRefused(signRaw(ED, headerJson(ED), stringExp), "malformed assertion");
		assertRefused(mint(ED, now().plusSeconds(30)), "assertion issued in the future");
		assertRefused(mint(ED, now(), (b) -> b.notBefore(Date.from(now().plusSeconds(30)))), "assertion not yet valid");
	}

	@Test
	void verifyWhenSubjectRolesOrSessionMalformedThenRefused() {
		assertRefused(mint(ED, now(), (b) -> b.subject(null)), "invalid sub claim");
		String numericSubject = claimsJson(now()).replace("\"sub\":\"alice\"", "\"sub\":42");
		assertRefused(signRaw(ED, headerJson(ED), numericSubject), "malformed assertion");
		assertRefused(mint(ED, now(), (b) -> b.subject("")), "invalid sub claim");
		assertRefused(mint(ED, now(), (b) -> b.claim("roles", "admin")), "invalid roles claim");
		assertRefused(mint(ED, now(), (b) -> b.claim("roles", List.of("user", 7))), "invalid roles claim");
		assertRefused(mint(ED, now(), (b) -> b.claim("sid", 7)), "invalid sid claim");
	}

	@Test
	void verifyWhenHeaderCarriesKeyOrUnknownExtensionThenRefused() {
		assertRefused(mint(ED, now(), (b) -> b.header().add("jku", "https://attacker.example/jwks")),
				"header parameter jku not accepted");
		String crit = "{\"typ\":\"tollgate-assertion+jwt\",\"alg\":\"EdDSA\",\"kid\":\"ed-1\",\"crit\":[\"x\"],\"x\":1}";
		assertRefused(signRaw(ED, crit, claimsJson(now())), "header parameter crit not accepted");
		String noKid = "{\"typ\":\"tollgate-assertion+jwt\",\"alg\":\"EdDSA\"}";
		assertRefused(signRaw(ED, noKid, claimsJson(now())), "missing kid");
	}

	@Test
	void verifyWhenMalformedDuplicateOrTooLargeThenRefused() {
		assertRefused("not-a-jws", "malformed assertion");
		assertRefused("a.b", "malformed assertion");
		assertRefused("a.b.c.d", "malformed assertion");
		assertRefused("e30.e30.AA==", "malformed assertion");
		String duplicate = claimsJson(now()).replace("{", "{\"sub\":\"admin\",");
		assertRefused(signRaw(ED, headerJson(ED), duplicate), "malformed assertion");
		String array = "[" + claimsJson(now()) + "]";
		assertRefused(signRaw(ED, headerJson(ED), array), "malformed assertion");
		String large = mint(ED, now(), (b) -> b.claim("pad", "x".repeat(AssertionVerifier.MAX_LENGTH)));
		assertRefused(large, "assertion too large");
	}

	private Instant now() {
		return this.clock.instant();
	}

	private TollgatePrincipal verify(String assertion) throws Exception {
		return this.verifier.verify(assertion).get(5, TimeUnit.SECONDS);
	}

	private void assertRefused(String assertion, String description) {
		Throwable thrown = catchThrowable(() -> verify(assertion));
		assertThat(thrown).as(description).isInstanceOf(ExecutionException.class);
		assertThat(thrown.getCause()).isInstanceOf(InvalidAssertionException.class)
			.hasMessage(description)
			.hasNoCause();
	}

}
