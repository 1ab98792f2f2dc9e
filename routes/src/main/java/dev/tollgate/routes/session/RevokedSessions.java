package dev.tollgate.routes.session;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.session.redis.RevocationSubscriber;
import dev.tollgate.token.filter.SessionRevocations;

/**
 * The ended sessions this instance knows of, in memory: what the access check consults on every request (no store
 * call). Fed by the store when this instance ends a session, and for the Redis store by {@link RevocationSubscriber}
 * with what other instances ended. An entry is kept until every access token of its session has expired (the access
 * tokens' lifetime plus clock skew after the revocation), never forgotten before: there is no cap that would drop a
 * revocation still needed. Memory is bounded by how many sessions can end within one access-token lifetime, which
 * the login rate bounds (every ended session was once a successful login), and is small per entry: a
 * {@link RevocationTable} holds a 64-bit fingerprint of the session id and the end of its revocation in seconds, 12
 * bytes a slot at a load of at most one half (see {@code docs/sessions.md} for the measured figure).
 * <p>
 * Expired entries are dropped by {@link #purge()}, which the instance runs on its own at most every
 * {@value #PURGE_INTERVAL_SECONDS} seconds of clock time when a revocation arrives, and which
 * {@link RevocationSubscriber} also runs periodically. Lookups take no lock; writes are serialised.
 */
public final class RevokedSessions implements SessionRevocations, SessionEndListener {

	static final long PURGE_INTERVAL_SECONDS = 30;

	private final Clock clock;

	private final Duration ttl;

	/** Epoch second that revocation ends are counted from, so that they fit an {@code int}. */
	private final long base;

	private final Object lock = new Object();

	private volatile RevocationTable table = RevocationTable.empty();

	private long nextPurge;

	/**
	 * @param clock the clock
	 * @param ttl how long a revocation is kept: the access tokens' lifetime plus clock skew
	 */
	public RevokedSessions(Clock clock, Duration ttl) {
		this.clock = clock;
		this.ttl = ttl;
		this.base = clock.millis() / 1000 - 1;
		this.nextPurge = clock.millis() + PURGE_INTERVAL_SECONDS * 1000;
	}

	@Override
	public boolean isRevoked(String sessionId) {
		RevocationTable current = this.table;
		if (current.isEmpty()) {
			return false;
		}
		int until = current.until(RevocationTable.fingerprint(sessionId));
		return until != 0 && until > seconds(this.clock.millis());
	}

	@Override
	public void sessionEnded(Session session, String reason) {
		revoke(session.familyId(), this.clock.millis() + this.ttl.toMillis());
	}

	/** Records that {@code sessionId} is revoked until {@code untilMillis} (epoch ms); a later end wins. */
	public void revoke(String sessionId, long untilMillis) {
		long now = this.clock.millis();
		if (untilMillis <= now) {
			return;
		}
		// rounded up: an entry may outlive its last access token by under a second, never the other way round
		int until = secondsRoundedUp(untilMillis);
		long fingerprint = RevocationTable.fingerprint(sessionId);
		synchronized (this.lock) {
			if (now >= this.nextPurge) {
				purgeLocked(now);
			}
			RevocationTable current = this.table;
			if (!current.put(fingerprint, until)) {
				RevocationTable grown = current.rebuilt(seconds(now), 1);
				grown.put(fingerprint, until);
				this.table = grown;
			}
		}
	}

	/** Forgets the revocations whose access tokens have all expired. */
	public void purge() {
		synchronized (this.lock) {
			purgeLocked(this.clock.millis());
		}
	}

	/** The revocations held, expired ones not yet purged included. */
	public int size() {
		return this.table.size();
	}

	/** The slots of the table held: what the revocations take in memory, 12 bytes each. */
	public int capacity() {
		return this.table.capacity();
	}

	private void purgeLocked(long now) {
		this.nextPurge = now + PURGE_INTERVAL_SECONDS * 1000;
		RevocationTable current = this.table;
		if (!current.isEmpty()) {
			this.table = current.rebuilt(seconds(now), 0);
		}
	}

	/** Seconds since {@link #base}, rounded down: a revocation ending at this second or before has ended. */
	private int seconds(long millis) {
		return (int) (millis / 1000 - this.base);
	}

	private int secondsRoundedUp(long millis) {
		return (int) ((millis + 999) / 1000 - this.base);
	}

}
