package dev.tollgate.token.jwt;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tollgate.token.observe.TokenRejection;

/**
 * The validated-token cache policy. Clients present the same token for its whole
 * lifetime, so a token that passed every check is remembered (key: its keyed 128-bit
 * {@link TokenFingerprint}, not the token itself, which would take several times the
 * memory of everything else an entry holds; value: the {@link VerifiedAccessToken}) and
 * accepted again without being parsed or its signature verified, after {@code exp} and
 * {@code nbf} are checked against the {@link Clock}. An entry never outlives {@code exp}
 * plus the clock skew; the cache holds at most
 * {@link ValidatedTokenCacheSettings#maxSize()} entries (0 disables it) and never a
 * rejected token, so a token refused once is refused always.
 */
final class ValidatedTokenCache {

	/** Tokens that passed every check; {@code null} when disabled. */
	private final Cache<TokenFingerprint, VerifiedAccessToken> tokens;

	/**
	 * The fingerprints' key, drawn once per cache: no one outside can compute a
	 * fingerprint.
	 */
	private final TokenFingerprint.Key key = TokenFingerprint.Key.random();

	private final Clock clock;

	private final long clockSkewSeconds;

	ValidatedTokenCache(ValidatedTokenCacheSettings settings, Clock clock, long clockSkewSeconds) {
		this.clock = clock;
		this.clockSkewSeconds = clockSkewSeconds;
		this.tokens = settings.enabled() ? cache(settings.maxSize(), clock, clockSkewSeconds) : null;
	}

	/**
	 * Entries expire at the token's {@code exp} plus the skew, on a ticker driven by the
	 * injected clock. The cache's maintenance (buffer drains, eviction, expiry) runs on
	 * the calling thread: handing it to the common pool cost a thread wake-up per
	 * insertion and per drained read buffer, several microseconds on the one core a
	 * gateway often has, for a few hundred nanoseconds of work (docs/benchmarks.md, "A
	 * first-seen token").
	 */
	private static Cache<TokenFingerprint, VerifiedAccessToken> cache(long maxSize, Clock clock, long skewSeconds) {
		return Caffeine.newBuilder()
			.maximumSize(maxSize)
			.executor(Runnable::run)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(Expiry.creating((TokenFingerprint token, VerifiedAccessToken identity) -> Duration
				.ofMillis((identity.expiresAtEpochSecond() + skewSeconds) * 1000 - clock.millis())))
			.build();
	}

	/**
	 * The identity {@code token} proves: the remembered one when it passed before and its
	 * times still hold, otherwise what {@code verify} returns, remembered. What
	 * {@code verify} throws is thrown and nothing is kept.
	 */
	VerifiedAccessToken get(String token, Function<String, VerifiedAccessToken> verify) {
		if (this.tokens == null) {
			return verify.apply(token);
		}
		TokenFingerprint fingerprint = TokenFingerprint.of(token, this.key);
		if (fingerprint == null) {
			// not a token's characters: refused by the verifier, never cached
			return verify.apply(token);
		}
		VerifiedAccessToken cached = this.tokens.getIfPresent(fingerprint);
		if (cached != null) {
			checkTimes(cached);
			return cached;
		}
		VerifiedAccessToken identity = verify.apply(token);
		this.tokens.put(fingerprint, identity);
		return identity;
	}

	/** Forgets every token. */
	void invalidateAll() {
		if (this.tokens != null) {
			this.tokens.invalidateAll();
		}
	}

	/** Tokens held (an estimate); 0 when the cache is disabled. */
	long size() {
		if (this.tokens == null) {
			return 0;
		}
		this.tokens.cleanUp();
		return this.tokens.estimatedSize();
	}

	/**
	 * {@code exp} and {@code nbf} of a cached token against the clock, with jjwt's skew
	 * semantics.
	 */
	private void checkTimes(VerifiedAccessToken token) {
		long now = this.clock.millis();
		long skew = this.clockSkewSeconds * 1000;
		if (now - skew > token.expiresAtEpochSecond() * 1000) {
			throw InvalidToken.of(TokenRejection.EXPIRED, "token expired");
		}
		long notBefore = token.notBeforeEpochSecond();
		if (notBefore != Long.MIN_VALUE && now + skew < notBefore * 1000) {
			throw InvalidToken.of(TokenRejection.NOT_YET_VALID, "token not yet valid");
		}
	}

}
