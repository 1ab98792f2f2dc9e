package dev.tollgate.token.jwt;

import java.util.Map;

import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;

import static dev.tollgate.token.jwt.TokenFixture.b64;
import static dev.tollgate.token.jwt.TokenFixture.json;
import static dev.tollgate.token.jwt.TokenFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The header policy on its own, given base64url header segments. */
class AccessTokenHeaderPolicyTests {

	private final TokenFixture fixture = TokenFixture.of(SigningAlgorithm.ES256);

	private final AccessTokenHeaderPolicy policy = new AccessTokenHeaderPolicy(this.fixture.keys,
			new StrictJsonDeserializer());

	private static String segment(Map<String, ?> header) {
		return b64(json(header));
	}

	private void assertRefused(String segment, TokenRejection rejection, String description) {
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> this.policy.check(segment))
			.satisfies((ex) -> {
				assertThat(ex.error().rejection()).isEqualTo(rejection);
				assertThat(ex.error().description()).isEqualTo(description);
			});
	}

	@Test
	void checkWhenOurHeaderThenAccepted() {
		assertThatCode(() -> this.policy.check(segment(this.fixture.header()))).doesNotThrowAnyException();
	}

	@Test
	void checkWhenApplicationAtJwtTypeThenAccepted() {
		assertThatCode(() -> this.policy.check(segment(with(this.fixture.header(), "typ", "application/AT+JWT"))))
			.doesNotThrowAnyException();
	}

	@Test
	void checkWhenOtherAlgorithmThenRefused() {
		assertRefused(segment(with(this.fixture.header(), "alg", "RS256")), TokenRejection.ALGORITHM,
				"algorithm not accepted");
	}

	@Test
	void checkWhenEmbeddedKeyThenRefused() {
		assertRefused(segment(with(this.fixture.header(), "jwk", Map.of("kty", "EC"))), TokenRejection.FORBIDDEN_HEADER,
				"header parameter jwk not accepted");
	}

	@Test
	void checkWhenNoTypeThenRefused() {
		assertRefused(segment(with(this.fixture.header(), "typ", null)), TokenRejection.WRONG_TYPE, "wrong token type");
	}

	@Test
	void checkWhenNotJsonThenMalformed() {
		assertRefused(b64("not json"), TokenRejection.MALFORMED, "malformed token");
	}

	@Test
	void checkWhenHeaderAcceptedBeforeThenStillRefusesOthers() {
		this.policy.check(segment(this.fixture.header()));
		assertRefused(segment(with(this.fixture.header(), "alg", "none")), TokenRejection.ALGORITHM,
				"algorithm not accepted");
	}

}
