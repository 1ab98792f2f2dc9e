package dev.tollgate.backend.jwks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The gateway's assertion keys, fetched once and kept. A {@code kid} the set does not
 * hold makes it fetch again, at most once every {@link #MIN_FETCH_INTERVAL}, so that a
 * key the gateway just started signing with is picked up without a restart while a stream
 * of made-up {@code kid}s costs the gateway one request per interval. A set older than
 * {@link #REFRESH_INTERVAL} is fetched again in the background on the next lookup, so a
 * key the gateway retired stops verifying. A failed fetch keeps the last good set.
 * Concurrent lookups share one fetch. Thread-safe; never blocks: a lookup that needs a
 * fetch answers with a future the HTTP client completes.
 */
public final class JwkSetCache {

	/** Shortest time between two fetches (the first one aside). */
	public static final Duration MIN_FETCH_INTERVAL = Duration.ofSeconds(10);

	/**
	 * Age after which a set is fetched again even though every {@code kid} asked for was
	 * in it.
	 */
	public static final Duration REFRESH_INTERVAL = Duration.ofMinutes(5);

	private static final Log logger = LogFactory.getLog(JwkSetCache.class);

	private final JwkSetFetcher fetcher;

	private final Clock clock;

	private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

	/** When the last fetch started; guarded by {@code this}. */
	private Instant lastAttempt;

	/** The fetch under way, which lookups join; guarded by {@code this}. */
	private CompletableFuture<Snapshot> inFlight;

	public JwkSetCache(JwkSetFetcher fetcher, Clock clock) {
		this.fetcher = fetcher;
		this.clock = clock;
	}

	/**
	 * The key named {@code kid}.
	 * @return a future of the key, or of {@code null} when the set does not hold it (or
	 * could never be fetched); never completes exceptionally
	 */
	public CompletableFuture<VerificationKey> find(String kid) {
		Snapshot current = this.snapshot;
		VerificationKey key = current.keys().get(kid);
		Instant now = this.clock.instant();
		if (key != null) {
			if (!now.isBefore(current.fetchedAt().plus(REFRESH_INTERVAL))) {
				fetchIfAllowed(now);
			}
			return CompletableFuture.completedFuture(key);
		}
		CompletableFuture<Snapshot> fetch = fetchIfAllowed(now);
		if (fetch == null) {
			return CompletableFuture.completedFuture(null);
		}
		return fetch.thenApply((fetched) -> fetched.keys().get(kid));
	}

	/** The {@code kid}s of the last good set. */
	public Set<String> keyIds() {
		return this.snapshot.keys().keySet();
	}

	/** The fetch under way, a new one when the interval allows, or {@code null}. */
	private CompletableFuture<Snapshot> fetchIfAllowed(Instant now) {
		CompletableFuture<Snapshot> started;
		synchronized (this) {
			if (this.inFlight != null) {
				return this.inFlight;
			}
			if (this.lastAttempt != null && now.isBefore(this.lastAttempt.plus(MIN_FETCH_INTERVAL))) {
				return null;
			}
			this.lastAttempt = now;
			started = new CompletableFuture<>();
			this.inFlight = started;
		}
		CompletableFuture<Map<String, VerificationKey>> fetch;
		try {
			fetch = this.fetcher.fetch();
		}
		catch (RuntimeException ex) {
			fetch = CompletableFuture.failedFuture(ex);
		}
		fetch.whenComplete((keys, failure) -> started.complete(completed(keys, failure)));
		return started;
	}

	private synchronized Snapshot completed(Map<String, VerificationKey> keys, Throwable failure) {
		this.inFlight = null;
		if (failure == null) {
			this.snapshot = new Snapshot(keys, this.clock.instant());
			if (logger.isDebugEnabled()) {
				logger.debug("Fetched the JWK Set from " + this.fetcher.uri() + ": assertion keys " + keys.keySet());
			}
			return this.snapshot;
		}
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		String reason = cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : "");
		logger.warn("Fetching the JWK Set from " + this.fetcher.uri() + " failed (" + reason
				+ "); keeping the last good set of " + this.snapshot.keys().size() + " keys, next try in "
				+ MIN_FETCH_INTERVAL.toSeconds() + "s at the earliest");
		if (logger.isDebugEnabled()) {
			logger.debug("JWK Set fetch failure", cause);
		}
		return this.snapshot;
	}

	/**
	 * A set as fetched, and when; {@code fetchedAt} is {@code null} before the first good
	 * fetch.
	 */
	private record Snapshot(Map<String, VerificationKey> keys, Instant fetchedAt) {
	}

}
