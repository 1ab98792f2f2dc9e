package dev.tollgate.routes.session.memory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory store's sessions by id, and each user's session ids. A session changes only
 * by being put in place of the very record a change was computed from, so that two
 * concurrent changes of one session never both apply. Expired sessions are dropped when
 * listed, and by a sweep of the whole table at most once every {@link #SWEEP_INTERVAL} of
 * clock time.
 */
final class SessionTable {

	static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

	private final ConcurrentHashMap<String, StoredSession> sessions = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<String>> byUser = new ConcurrentHashMap<>();

	private final AtomicLong nextSweep = new AtomicLong();

	/** Adds a new session; fails should its id ever repeat. */
	void add(StoredSession stored) {
		String sessionId = stored.session().id();
		this.byUser.computeIfAbsent(stored.session().userId(), (id) -> ConcurrentHashMap.newKeySet()).add(sessionId);
		if (this.sessions.putIfAbsent(sessionId, stored) != null) {
			throw new IllegalStateException("session id collision");
		}
	}

	/** The session {@code sessionId}, expired or not, or {@code null}. */
	StoredSession get(String sessionId) {
		return this.sessions.get(sessionId);
	}

	/**
	 * Puts {@code next} in place of {@code stored}, or removes {@code stored} when
	 * {@code next} is {@code null}, if {@code stored} is still there; says whether it
	 * was.
	 */
	boolean replace(StoredSession stored, StoredSession next) {
		String sessionId = stored.session().id();
		return (next != null) ? this.sessions.replace(sessionId, stored, next)
				: this.sessions.remove(sessionId, stored);
	}

	/** Drops an ended session from its user's index. */
	void unindex(StoredSession stored) {
		Set<String> ids = this.byUser.get(stored.session().userId());
		if (ids != null) {
			ids.remove(stored.session().id());
		}
	}

	/**
	 * The live sessions of {@code userId} at {@code now}, oldest first; the others are
	 * dropped from the index.
	 */
	List<StoredSession> live(String userId, long now) {
		Set<String> ids = this.byUser.getOrDefault(userId, Set.of());
		List<StoredSession> live = new ArrayList<>();
		for (String sessionId : ids) {
			StoredSession stored = this.sessions.get(sessionId);
			if (stored != null && stored.isLive(now)) {
				live.add(stored);
			}
			else {
				ids.remove(sessionId);
			}
		}
		live.sort(Comparator.comparingLong(StoredSession::createdAt));
		return live;
	}

	/** Drops every expired session, at most once per {@link #SWEEP_INTERVAL}. */
	void sweepIfDue(long now) {
		long due = this.nextSweep.get();
		if (now >= due && this.nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
			// removes an entry only if it still holds the record tested, so a concurrent
			// rotation is never lost
			this.sessions.values().removeIf((stored) -> !stored.isLive(now));
			this.byUser.values().removeIf(Set::isEmpty);
		}
	}

	/** The number of sessions held, expired or not. */
	int size() {
		return this.sessions.size();
	}

}
