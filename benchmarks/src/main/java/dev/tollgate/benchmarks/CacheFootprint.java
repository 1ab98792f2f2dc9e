package dev.tollgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.UUID;

import dev.tollgate.token.jwt.SigningAlgorithm;

/**
 * The heap that the validated-token cache holds per token. Fills one verifier's cache
 * with {@code N} distinct tokens (default 100,000, the gateway's default maximum), each
 * minted as the gateway's login mints them (a UUID user id, a session id of 22 base64url
 * characters, roles {@code user,admin}) and verified once, as a request would present it,
 * so that afterwards only the cache references the token string. Prints the live heap
 * after a full GC before and after, divided by the tokens the cache holds: what one
 * cached token costs, its key string included.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.CacheFootprint [N]
 * </pre>
 *
 * Serial GC makes {@link System#gc()} a full, compacting collection, so "live heap" is
 * what is reachable.
 */
public final class CacheFootprint {

	private CacheFootprint() {
	}

	public static void main(String[] args) {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 100_000;
		TollgateTokens tokens = new TollgateTokens(SigningAlgorithm.HS256, true);
		// load and initialise every class of the path before the first measurement
		tokens.verifier.verify(mint(tokens));
		tokens.verifier.invalidateCache();
		long before = liveHeap();
		long tokenChars = 0;
		for (int i = 0; i < count; i++) {
			String token = mint(tokens);
			tokenChars += token.length();
			tokens.verifier.verify(token);
		}
		long after = liveHeap();
		long cached = tokens.verifier.cachedTokens();
		if (cached == 0) {
			throw new IllegalStateException("the cache holds no token: is it disabled?");
		}
		System.out.printf("tokens verified: %d, held by the cache: %d, mean token length: %d characters%n", count,
				cached, tokenChars / count);
		System.out.printf("live heap: %,d bytes before, %,d bytes after: %,d bytes per cached token%n", before, after,
				(after - before) / cached);
	}

	private static String mint(TollgateTokens tokens) {
		return tokens.issuer.issue(UUID.randomUUID().toString(), List.of("user", "admin"), sessionId()).value();
	}

	/**
	 * A session id as the refresh-token store mints them: 128 random bits, 22 base64url
	 * characters.
	 */
	private static String sessionId() {
		byte[] bytes = new byte[16];
		java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
		return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Used heap after full collections (synchronous under Serial GC), once it stops
	 * shrinking.
	 */
	private static long liveHeap() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 10; i++) {
			System.gc();
			long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (now >= used) {
				return now;
			}
			used = now;
		}
		return used;
	}

}
