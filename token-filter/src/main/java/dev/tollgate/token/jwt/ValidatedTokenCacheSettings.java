package dev.tollgate.token.jwt;

import org.springframework.util.Assert;

/**
 * The size of the {@link AccessTokenVerifier}'s validated-token cache.
 *
 * @param maxSize the most tokens remembered (about 1.5 KB of heap each); 0 disables the
 * cache
 */
public record ValidatedTokenCacheSettings(long maxSize) {

	public ValidatedTokenCacheSettings {
		Assert.isTrue(maxSize >= 0, "maxSize must not be negative");
	}

	/** Whether tokens are remembered at all. */
	public boolean enabled() {
		return this.maxSize > 0;
	}

}
