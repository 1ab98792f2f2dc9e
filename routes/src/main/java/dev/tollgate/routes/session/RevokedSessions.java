package dev.tollgate.routes.session;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.routes.store.Session;
import dev.tollgate.routes.store.SessionEndListener;
import dev.tollgate.token.filter.SessionRevocations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The ended sessions this instance knows of, in memory: what the access check consults on every request (no store
 * call). Fed by the store when this instance ends a session, and for the Redis store by {@link RevocationSubscriber}
 * with what other instances ended. Each entry is kept until every access token of its session has expired (the
 * access tokens' lifetime plus clock skew after the revocation), then forgotten. Bounded: past {@code maxSize}
 * entries, the one that would be forgotten soonest goes first, and a warning is logged.
 */
public final class RevokedSessions implements SessionRevocations, SessionEndListener {

	private static final Log logger = LogFactory.getLog(RevokedSessions.class);

	/** Session id to the end of its revocation (epoch ms). */
	private final Map<String, Long> revoked = new ConcurrentHashMap<>();

	private final Clock clock;

	private final Duration ttl;

	private final int maxSize;

	/**
	 * @param clock the clock
	 * @param ttl how long a revocation is kept: the access tokens' lifetime plus clock skew
	 * @param maxSize most revocations held
	 */
	public RevokedSessions(Clock clock, Duration ttl, int maxSize) {
		this.clock = clock;
		this.ttl = ttl;
		this.maxSize = maxSize;
	}

	@Override
	public boolean isRevoked(String sessionId) {
		Long until = this.revoked.get(sessionId);
		return until != null && until > this.clock.millis();
	}

	@Override
	public void sessionEnded(Session session, String reason) {
		revoke(session.familyId(), this.clock.millis() + this.ttl.toMillis());
	}

	/** Records that {@code sessionId} is revoked until {@code untilMillis} (epoch ms). */
	public void revoke(String sessionId, long untilMillis) {
		if (untilMillis <= this.clock.millis()) {
			return;
		}
		this.revoked.merge(sessionId, untilMillis, Math::max);
		if (this.revoked.size() > this.maxSize) {
			purge();
			evictSoonest();
		}
	}

	/** Forgets the revocations whose access tokens have all expired. */
	public void purge() {
		long now = this.clock.millis();
		this.revoked.values().removeIf((until) -> until <= now);
	}

	/** The revocations held. */
	public int size() {
		return this.revoked.size();
	}

	private void evictSoonest() {
		while (this.revoked.size() > this.maxSize) {
			this.revoked.entrySet()
				.stream()
				.min(Map.Entry.comparingByValue())
				.ifPresent((soonest) -> this.revoked.remove(soonest.getKey(), soonest.getValue()));
			logger.warn("More than " + this.maxSize + " sessions revoked within one access-token lifetime: "
					+ "forgetting the revocation that would expire soonest (raise tollgate.sessions.max-revocations)");
		}
	}

}
