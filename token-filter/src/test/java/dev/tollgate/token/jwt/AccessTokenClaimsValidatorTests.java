package dev.tollgate.token.jwt;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.error.TollgateErrorException;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ClaimsBuilder;
import io.jsonwebtoken.Jwts;
import org.junit.jupiter.api.Test;

import static dev.tollgate.token.jwt.TokenFixture.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Claim validation on its own, given claims jjwt has already accepted. */
class AccessTokenClaimsValidatorTests {

	private final AccessTokenClaimsValidator validator = new AccessTokenClaimsValidator(TokenFixture.CLOCK, 30);

	private static ClaimsBuilder claims() {
		return Jwts.claims()
			.subject("user-42")
			.add("roles", List.of("admin", "ops"))
			.add("sid", "session-7")
			.id("token-1")
			.issuedAt(Date.from(NOW))
			.expiration(Date.from(NOW.plusSeconds(900)));
	}

	private void assertRefused(Claims claims, String description) {
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> this.validator.validate(claims))
			.satisfies((ex) -> assertThat(ex.error().description()).isEqualTo(description));
	}

	@Test
	void validateWhenEveryClaimFitsThenIdentity() {
		VerifiedAccessToken identity = this.validator.validate(claims().notBefore(Date.from(NOW)).build());
		assertThat(identity.subject()).isEqualTo("user-42");
		assertThat(identity.roles()).containsExactly("admin", "ops");
		assertThat(identity.sessionId()).isEqualTo("session-7");
		assertThat(identity.expiresAt()).isEqualTo(NOW.plusSeconds(900));
		assertThat(identity.notBefore()).isEqualTo(NOW);
	}

	@Test
	void validateWhenNoRolesThenEmptyRoles() {
		assertThat(this.validator.validate(claims().delete("roles").build()).roles()).isEmpty();
	}

	@Test
	void validateWhenIssuedBeyondTheSkewThenRefused() {
		Instant future = NOW.plusSeconds(31);
		assertRefused(claims().issuedAt(Date.from(future)).build(), "token issued in the future");
	}

	@Test
	void validateWhenIssuedWithinTheSkewThenAccepted() {
		assertThat(this.validator.validate(claims().issuedAt(Date.from(NOW.plusSeconds(30))).build()).subject())
			.isEqualTo("user-42");
	}

	@Test
	void validateWhenClaimMissingOrWrongThenNamesIt() {
		assertRefused(claims().expiration(null).build(), "missing exp claim");
		assertRefused(claims().issuedAt(null).build(), "missing iat claim");
		assertRefused(claims().id(null).build(), "missing jti claim");
		assertRefused(claims().subject("a,b").build(), "invalid sub claim");
		assertRefused(claims().add("roles", List.of("a b")).build(), "invalid roles claim");
		assertRefused(claims().add("sid", 7).build(), "invalid sid claim");
	}

	@Test
	void validateWhenCnfWithAThumbprintThenBoundToIt() {
		String jkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
		VerifiedAccessToken identity = this.validator.validate(claims().add("cnf", Map.of("jkt", jkt)).build());
		assertThat(identity.keyThumbprint()).isEqualTo(jkt);
		assertThat(this.validator.validate(claims().build()).keyThumbprint()).isNull();
	}

	@Test
	void validateWhenCnfOfAnotherShapeThenRefused() {
		String jkt = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";
		assertRefused(claims().add("cnf", jkt).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of()).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jkt", jkt.substring(1))).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jkt", jkt.substring(1) + "=")).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jkt", jkt.substring(0, 42) + "t")).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jkt", 7)).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jkt", jkt, "x5t#S256", jkt)).build(), "invalid cnf claim");
		assertRefused(claims().add("cnf", Map.of("jwk", Map.of("kty", "EC"))).build(), "invalid cnf claim");
	}

}
