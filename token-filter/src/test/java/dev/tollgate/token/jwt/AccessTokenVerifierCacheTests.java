package dev.tollgate.token.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.error.TollgateErrorException;
import org.junit.jupiter.api.Test;

import static dev.tollgate.token.jwt.TokenFixture.NOW;
import static dev.tollgate.token.jwt.TokenFixture.claims;
import static dev.tollgate.token.jwt.TokenFixture.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The validated-token cache: each property it must keep, observed through the verifier.
 */
class AccessTokenVerifierCacheTests {

	/** A clock the test moves. */
	private static final class TestClock extends Clock {

		private Instant now = NOW;

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

	private final TestClock clock = new TestClock();

	private final TokenFixture fixture = TokenFixture.of(SigningAlgorithm.HS256);

	private AccessTokenVerifier verifier(long maxSize) {
		return new AccessTokenVerifier(TokenFixture.SETTINGS, new ValidatedTokenCacheSettings(maxSize),
				this.fixture.keys, this.clock);
	}

	/** A token issued at {@link TokenFixture#NOW}, valid for {@code ttl}. */
	private String token(String subject, Duration ttl) {
		Map<String, Object> claims = with(claims(), "sub", subject);
		claims = with(claims, "exp", NOW.plus(ttl).getEpochSecond());
		return this.fixture.token(this.fixture.header(), claims);
	}

	private static void assertRejected(AccessTokenVerifier verifier, String token, String description) {
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> verifier.verify(token))
			.satisfies((ex) -> assertThat(ex.error().description()).isEqualTo(description));
	}

	@Test
	void verifyWhenTokenSeenAgainThenSameIdentityFromCache() {
		AccessTokenVerifier verifier = verifier(100);
		String token = token("user-1", Duration.ofMinutes(15));
		VerifiedAccessToken first = verifier.verify(token);
		assertThat(verifier.cachedTokens()).isEqualTo(1);
		assertThat(verifier.verify(token)).isSameAs(first);
	}

	@Test
	void verifyWhenTokenRejectedThenNotCachedAndRejectedAlways() {
		AccessTokenVerifier verifier = verifier(100);
		String valid = token("user-1", Duration.ofMinutes(15));
		String tampered = valid.substring(0, valid.length() - 2) + (valid.endsWith("AA") ? "BA" : "AA");
		for (int i = 0; i < 3; i++) {
			assertRejected(verifier, tampered, "invalid signature");
		}
		assertThat(verifier.cachedTokens()).isZero();
		verifier.verify(valid);
		assertRejected(verifier, tampered, "invalid signature");
	}

	@Test
	void verifyWhenCachedTokenExpiresThenRejectedOnTheNextHit() {
		AccessTokenVerifier verifier = verifier(100);
		String token = token("user-1", Duration.ofMinutes(1));
		verifier.verify(token);
		this.clock.advance(Duration.ofSeconds(60 + 30));
		assertThat(verifier.verify(token).subject()).as("within the 30 s skew").isEqualTo("user-1");
		this.clock.advance(Duration.ofSeconds(1));
		assertRejected(verifier, token, "token expired");
		assertRejected(verifier, token, "token expired");
	}

	@Test
	void cacheWhenTokenExpiredThenEntryGone() {
		AccessTokenVerifier verifier = verifier(100);
		verifier.verify(token("user-1", Duration.ofMinutes(1)));
		verifier.verify(token("user-2", Duration.ofMinutes(10)));
		assertThat(verifier.cachedTokens()).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(verifier.cachedTokens()).isEqualTo(1);
	}

	@Test
	void verifyWhenCachedTokenNotYetValidThenRejected() {
		AccessTokenVerifier verifier = verifier(100);
		String token = this.fixture.token(this.fixture.header(),
				with(claims(), "nbf", NOW.plusSeconds(20).getEpochSecond()));
		verifier.verify(token);
		this.clock.advance(Duration.ofSeconds(-60));
		assertRejected(verifier, token, "token not yet valid");
	}

	@Test
	void cacheWhenMoreTokensThanMaxSizeThenBounded() {
		AccessTokenVerifier verifier = verifier(3);
		for (int i = 0; i < 20; i++) {
			verifier.verify(token("user-" + i, Duration.ofMinutes(15)));
		}
		assertThat(verifier.cachedTokens()).isLessThanOrEqualTo(3);
	}

	@Test
	void cacheWhenMaxSizeZeroThenDisabledAndStillVerifies() {
		AccessTokenVerifier verifier = verifier(0);
		String token = token("user-1", Duration.ofMinutes(15));
		VerifiedAccessToken first = verifier.verify(token);
		VerifiedAccessToken second = verifier.verify(token);
		assertThat(second).isNotSameAs(first);
		assertThat(second.subject()).isEqualTo("user-1");
		assertThat(verifier.cachedTokens()).isZero();
	}

	@Test
	void invalidateCacheWhenKeysChangedThenTokensVerifiedAfresh() {
		AccessTokenVerifier verifier = verifier(100);
		String token = token("user-1", Duration.ofMinutes(15));
		VerifiedAccessToken first = verifier.verify(token);
		verifier.invalidateCache();
		assertThat(verifier.cachedTokens()).isZero();
		assertThat(verifier.verify(token)).isNotSameAs(first);
	}

	@Test
	void cacheWhenTokenVerifiedWithOtherKeysThenNotShared() {
		AccessTokenVerifier verifier = verifier(100);
		String token = token("user-1", Duration.ofMinutes(15));
		verifier.verify(token);
		// another key set is another verifier, with its own cache: the token must pass
		// its own keys
		TokenFixture other = TokenFixture.of(SigningAlgorithm.RS256);
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> other.verifier.verify(token));
		assertThat(List.of(verifier.cachedTokens(), other.verifier.cachedTokens())).containsExactly(1L, 0L);
	}

}
