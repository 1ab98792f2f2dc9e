package dev.tollgate.routes.login;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * {@link LoginGuard} in this process, for the memory store (one instance): the same rules
 * as {@link RedisLoginGuard}'s scripts. Entries are forgotten when they would expire in
 * Redis; at most {@value #MAX_ENTRIES} are kept (past that the expired ones are dropped,
 * then the oldest).
 */
public final class InMemoryLoginGuard implements LoginGuard {

	static final int MAX_ENTRIES = 100_000;

	private final Map<String, Counts> counts = new HashMap<>();

	private final LoginLimits limits;

	private final Clock clock;

	public InMemoryLoginGuard(LoginLimits limits, Clock clock) {
		this.limits = limits;
		this.clock = clock;
	}

	@Override
	public Mono<Admission> admit(LoginAttempt attempt) {
		return Mono.fromSupplier(() -> {
			synchronized (this.counts) {
				long now = this.clock.millis();
				Counts pair = counts(pairKey(attempt), now);
				Counts address = counts(addressKey(attempt), now);
				long wait = Math.max(pair.lockedUntil, address.lockedUntil) - now;
				if (wait > 0) {
					return Admission.locked(wait);
				}
				if (pair.failures(now) + pair.inFlight(now) >= this.limits.maxFailures()
						|| address.failures(now) + address.inFlight(now) >= this.limits.maxFailuresPerAddress()) {
					return Admission.locked(1000);
				}
				pair.admit(now, this.limits.inFlightMillis());
				address.admit(now, this.limits.inFlightMillis());
				return Admission.ADMITTED;
			}
		});
	}

	@Override
	public Mono<Void> end(LoginAttempt attempt, Result result) {
		return Mono.fromRunnable(() -> {
			synchronized (this.counts) {
				long now = this.clock.millis();
				Counts pair = counts(pairKey(attempt), now);
				Counts address = counts(addressKey(attempt), now);
				pair.release(now);
				address.release(now);
				if (result == Result.SUCCEEDED) {
					pair.reset();
				}
				else if (result == Result.FAILED) {
					pair.fail(now, this.limits, this.limits.maxFailures());
					address.fail(now, this.limits, this.limits.maxFailuresPerAddress());
				}
			}
		});
	}

	/** Entries held, expired ones included until the next purge. */
	int size() {
		synchronized (this.counts) {
			return this.counts.size();
		}
	}

	private Counts counts(String key, long now) {
		Counts counts = this.counts.get(key);
		if (counts != null && counts.expiresAt(this.limits) <= now) {
			this.counts.remove(key);
			counts = null;
		}
		if (counts == null) {
			if (this.counts.size() >= MAX_ENTRIES) {
				purge(now);
			}
			counts = new Counts();
			this.counts.put(key, counts);
		}
		return counts;
	}

	private void purge(long now) {
		this.counts.values().removeIf((counts) -> counts.expiresAt(this.limits) <= now);
		if (this.counts.size() >= MAX_ENTRIES) {
			// under a spray of addresses: forget the entries that would expire soonest
			this.counts.entrySet()
				.stream()
				.sorted(Map.Entry
					.comparingByValue((a, b) -> Long.compare(a.expiresAt(this.limits), b.expiresAt(this.limits))))
				.limit(this.counts.size() - MAX_ENTRIES + 1L)
				.map(Map.Entry::getKey)
				.toList()
				.forEach(this.counts::remove);
		}
	}

	private static String pairKey(LoginAttempt attempt) {
		return LoginKeys.address(attempt) + ":" + LoginKeys.user(attempt);
	}

	private static String addressKey(LoginAttempt attempt) {
		return LoginKeys.address(attempt);
	}

	/** One pair's or address's state; guarded by the map's lock. */
	private static final class Counts {

		private int failures;

		private long windowEnds;

		private long lockedUntil;

		private int locks;

		private int inFlight;

		private long inFlightExpiresAt;

		int failures(long now) {
			return (this.windowEnds <= now) ? 0 : this.failures;
		}

		int inFlight(long now) {
			return (this.inFlightExpiresAt <= now) ? 0 : this.inFlight;
		}

		void admit(long now, long inFlightMillis) {
			this.inFlight = inFlight(now) + 1;
			this.inFlightExpiresAt = now + inFlightMillis;
		}

		void release(long now) {
			this.inFlight = Math.max(0, inFlight(now) - 1);
		}

		void reset() {
			this.failures = 0;
			this.windowEnds = 0;
			this.lockedUntil = 0;
			this.locks = 0;
		}

		void fail(long now, LoginLimits limits, int max) {
			if (this.windowEnds <= now) {
				this.failures = 0;
				this.windowEnds = now + limits.windowMillis();
			}
			this.failures++;
			if (this.failures >= max) {
				this.locks++;
				this.lockedUntil = now + limits.lockoutAfter(this.locks);
				this.failures = 0;
			}
		}

		long expiresAt(LoginLimits limits) {
			long state = (this.windowEnds == 0 && this.lockedUntil == 0) ? 0
					: Math.max(this.windowEnds, this.lockedUntil + limits.windowMillis());
			return Math.max(state, (this.inFlight > 0) ? this.inFlightExpiresAt : 0);
		}

	}

}
