package dev.tollgate.routes.session;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.token.filter.SessionRevocations;

/**
 * The ended sessions this instance knows of, in memory: what the access check consults on
 * every request (no store call). Fed by the store when this instance ends a session, and
 * for the Redis store by the Redis store's session-end subscriber with what other
 * instances ended. An entry is kept until every access token of its session has expired
 * (the access tokens' lifetime plus clock skew after the end), never forgotten before:
 * there is no cap that would drop an entry still needed. Memory is bounded by how many
 * sessions can end within one access-token lifetime, which the login rate bounds (every
 * ended session was once a successful login), and is small per entry: an
 * {@link EndedSessionTable} holds a 64-bit fingerprint of the session id and the second
 * until which its tokens are refused, 12 bytes a slot at a load of at most one half (see
 * {@code docs/sessions.md} for the measured figure).
 * <p>
 * Expired entries are dropped by {@link #purge()}, which the instance runs on its own at
 * most every {@value #PURGE_INTERVAL_SECONDS} seconds of clock time when an ended session
 * is added, and which the Redis store's subscriber also runs periodically. Lookups take
 * no lock; writes are serialised.
 */
public final class EndedSessions implements SessionRevocations, SessionEndListener {

	static final long PURGE_INTERVAL_SECONDS = 30;

	private final Clock clock;

	private final Duration ttl;

	/**
	 * Epoch second that the ends of the entries are counted from, so that they fit an
	 * {@code int}.
	 */
	private final long base;

	private final Object lock = new Object();

	private volatile EndedSessionTable table = EndedSessionTable.empty();

	private long nextPurge;

	/**
	 * @param clock the clock
	 * @param ttl how long an ended session is kept: the access tokens' lifetime plus
	 * clock skew
	 */
	public EndedSessions(Clock clock, Duration ttl) {
		this.clock = clock;
		this.ttl = ttl;
		this.base = clock.millis() / 1000 - 1;
		this.nextPurge = clock.millis() + PURGE_INTERVAL_SECONDS * 1000;
	}

	@Override
	public boolean isRevoked(String sessionId) {
		EndedSessionTable current = this.table;
		if (current.isEmpty()) {
			return false;
		}
		int until = current.until(EndedSessionTable.fingerprint(sessionId));
		return until != 0 && until > seconds(this.clock.millis());
	}

	@Override
	public void sessionEnded(Session session, String reason) {
		add(session.id(), this.clock.millis() + this.ttl.toMillis());
	}

	/**
	 * Records that {@code sessionId} ended and that its access tokens are refused until
	 * {@code untilMillis} (epoch ms); a later end wins.
	 */
	public void add(String sessionId, long untilMillis) {
		long now = this.clock.millis();
		if (untilMillis <= now) {
			return;
		}
		// rounded up: an entry may outlive its last access token by under a second, never
		// the other way round
		int until = secondsRoundedUp(untilMillis);
		long fingerprint = EndedSessionTable.fingerprint(sessionId);
		synchronized (this.lock) {
			if (now >= this.nextPurge) {
				purgeLocked(now);
			}
			EndedSessionTable current = this.table;
			if (!current.put(fingerprint, until)) {
				EndedSessionTable grown = current.rebuilt(seconds(now), 1);
				grown.put(fingerprint, until);
				this.table = grown;
			}
		}
	}

	/** Forgets the ended sessions whose access tokens have all expired. */
	public void purge() {
		synchronized (this.lock) {
			purgeLocked(this.clock.millis());
		}
	}

	/** The ended sessions held, expired ones not yet purged included. */
	public int size() {
		return this.table.size();
	}

	/**
	 * The slots of the table held: what the ended sessions take in memory, 12 bytes each.
	 */
	public int capacity() {
		return this.table.capacity();
	}

	private void purgeLocked(long now) {
		this.nextPurge = now + PURGE_INTERVAL_SECONDS * 1000;
		EndedSessionTable current = this.table;
		if (!current.isEmpty()) {
			this.table = current.rebuilt(seconds(now), 0);
		}
	}

	/**
	 * Seconds since {@link #base}, rounded down: an entry ending at this second or before
	 * has ended.
	 */
	private int seconds(long millis) {
		return (int) (millis / 1000 - this.base);
	}

	private int secondsRoundedUp(long millis) {
		return (int) ((millis + 999) / 1000 - this.base);
	}

}
