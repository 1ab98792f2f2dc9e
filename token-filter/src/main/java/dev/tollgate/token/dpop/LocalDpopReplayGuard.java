package dev.tollgate.token.dpop;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import reactor.core.publisher.Mono;

/**
 * A {@link DpopReplayGuard} in this instance's memory (RFC 9449 §11.1): a Caffeine map of
 * replay keys, each living {@code ttl} after it was written.
 * <p>
 * Bounded: at most {@code maxEntries} keys ({@link #DEFAULT_MAX_ENTRIES} by default,
 * about 150 bytes each, so 150 MB at most). The bound is there so that a flood of proofs
 * cannot exhaust the heap; it is far above what the default {@code ttl} of 70 s holds at
 * 10,000 DPoP requests a second (700,000 keys). Past it, Caffeine evicts old keys and a
 * proof whose key was evicted could be replayed within its {@code iat} window: size the
 * bound for the peak rate × {@code ttl}. Replays on another instance are not seen here;
 * use the shared guard ({@code tollgate.dpop.access-replay: shared}) for that.
 */
public final class LocalDpopReplayGuard implements DpopReplayGuard {

	/** The default bound on remembered proofs. */
	public static final long DEFAULT_MAX_ENTRIES = 1_000_000;

	private final Cache<String, Boolean> seen;

	/**
	 * @param ttl how long a proof is remembered
	 * @param maxEntries most proofs remembered at once
	 * @param clock the time entries expire by
	 */
	public LocalDpopReplayGuard(Duration ttl, long maxEntries, Clock clock) {
		this.seen = Caffeine.newBuilder()
			.expireAfterWrite(ttl.toNanos(), TimeUnit.NANOSECONDS)
			.maximumSize(maxEntries)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.executor(Runnable::run)
			.build();
	}

	/** A guard with {@link #DEFAULT_MAX_ENTRIES} on the system clock. */
	public LocalDpopReplayGuard(Duration ttl) {
		this(ttl, DEFAULT_MAX_ENTRIES, Clock.systemUTC());
	}

	@Override
	public Mono<Boolean> firstUse(DpopProof proof) {
		return Mono.fromSupplier(() -> firstUseNow(proof));
	}

	/**
	 * {@link #firstUse(DpopProof)} without a {@link Mono}, for the access path (no I/O).
	 */
	public boolean firstUseNow(DpopProof proof) {
		return this.seen.asMap().putIfAbsent(proof.replayKey(), Boolean.TRUE) == null;
	}

}
