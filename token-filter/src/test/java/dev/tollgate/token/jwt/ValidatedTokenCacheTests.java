package dev.tollgate.token.jwt;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The cache policy on its own: what is remembered, for how long, and what never is. */
class ValidatedTokenCacheTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final AtomicInteger verifications = new AtomicInteger();

	private VerifiedAccessToken identity(Instant expiresAt, Instant notBefore) {
		return new VerifiedAccessToken("u", List.of(), "s", expiresAt, notBefore);
	}

	private Function<String, VerifiedAccessToken> verifying(VerifiedAccessToken identity) {
		return (token) -> {
			this.verifications.incrementAndGet();
			return identity;
		};
	}

	private static ValidatedTokenCache cache(long maxSize, Instant now) {
		return new ValidatedTokenCache(new ValidatedTokenCacheSettings(maxSize), Clock.fixed(now, ZoneOffset.UTC), 30);
	}

	@Test
	void getWhenSeenBeforeThenVerifiedOnce() {
		ValidatedTokenCache cache = cache(10, NOW);
		VerifiedAccessToken identity = identity(NOW.plusSeconds(60), null);
		assertThat(cache.get("t", verifying(identity))).isSameAs(identity);
		assertThat(cache.get("t", verifying(identity))).isSameAs(identity);
		assertThat(this.verifications).hasValue(1);
		assertThat(cache.size()).isEqualTo(1);
	}

	@Test
	void getWhenDisabledThenVerifiedEveryTime() {
		ValidatedTokenCache cache = cache(0, NOW);
		VerifiedAccessToken identity = identity(NOW.plusSeconds(60), null);
		cache.get("t", verifying(identity));
		cache.get("t", verifying(identity));
		assertThat(this.verifications).hasValue(2);
		assertThat(cache.size()).isZero();
	}

	@Test
	void getWhenVerificationFailsThenNothingRemembered() {
		ValidatedTokenCache cache = cache(10, NOW);
		Function<String, VerifiedAccessToken> refusing = (token) -> {
			throw TollgateErrors.invalidToken(TokenRejection.BAD_SIGNATURE, "invalid signature").exception();
		};
		assertThatExceptionOfType(TollgateErrorException.class).isThrownBy(() -> cache.get("t", refusing));
		assertThat(cache.size()).isZero();
	}

	@Test
	void getWhenRememberedTokenNotYetValidThenRefusedWithoutVerifying() {
		ValidatedTokenCache cache = cache(10, NOW);
		cache.get("t", verifying(identity(NOW.plusSeconds(600), NOW.plusSeconds(60))));
		assertThatExceptionOfType(TollgateErrorException.class)
			.isThrownBy(() -> cache.get("t", verifying(identity(NOW.plusSeconds(600), null))))
			.satisfies((ex) -> assertThat(ex.error().description()).isEqualTo("token not yet valid"));
		assertThat(this.verifications).hasValue(1);
	}

	@Test
	void invalidateAllWhenTokensRememberedThenVerifiedAgain() {
		ValidatedTokenCache cache = cache(10, NOW);
		VerifiedAccessToken identity = identity(NOW.plusSeconds(60), null);
		cache.get("t", verifying(identity));
		cache.invalidateAll();
		cache.get("t", verifying(identity));
		assertThat(this.verifications).hasValue(2);
	}

}
