package dev.tollgate.routes.session.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.Logout;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotations;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import reactor.core.publisher.Mono;

/**
 * A {@link RefreshTokenStore} in this process: for a single gateway instance (demo,
 * tests). Sessions die with the process.
 * <p>
 * Each session is an immutable {@link StoredSession} in a {@link SessionTable}. Every
 * change is computed from the record read ({@link MemoryRotation} for a rotation) and put
 * in its place only if it is still there, else computed again: atomic per session exactly
 * like the Redis store's scripts. Expired sessions are dropped when touched, and by a
 * sweep of the whole table at most once a minute of clock time (run by {@link #create}),
 * so memory stays bounded by the live sessions. Ended sessions are told to the
 * {@link SessionEndListener}, which on a single instance is all there is to spread.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

	static final Duration SWEEP_INTERVAL = SessionTable.SWEEP_INTERVAL;

	private final SessionTable sessions = new SessionTable();

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	private final MemoryRotation rotation;

	private final Clock clock;

	private final StoreTimer timer;

	private final SessionEndListener listener;

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock) {
		this(codec, settings, clock, StoreTimer.NONE, SessionEndListener.NONE);
	}

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock, StoreTimer timer,
			SessionEndListener listener) {
		this.codec = codec;
		this.settings = settings;
		this.rotation = new MemoryRotation(codec, settings);
		this.clock = clock;
		this.timer = timer;
		this.listener = listener;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding,
			String keyThumbprint) {
		return this.timer.time("create", Mono.fromCallable(() -> {
			Rotations.requireLogin(userId, roles);
			long now = this.clock.millis();
			this.sessions.sweepIfDue(now);
			String sessionId = this.codec.newSessionId();
			String tagKey = this.codec.newTagKey();
			RefreshTokenCodec.Draft first = this.codec.draft(sessionId, 0);
			Session session = new Session(sessionId, userId, roles, keyThumbprint);
			long sessionExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), sessionExpiresAt);
			StoredSession stored = StoredSession.started(session, now, sessionExpiresAt, this.codec.hash(first.nonce()),
					expiresAt, tagKey, binding);
			this.sessions.add(stored);
			endOldest(userId, sessionId);
			return Rotations.issued(this.codec.token(first, tagKey), expiresAt, session);
		}));
	}

	private void endOldest(String userId, String keep) {
		List<StoredSession> live = this.sessions.live(userId, this.clock.millis());
		for (int i = 0; i < live.size() - this.settings.maxSessionsPerUser(); i++) {
			String sessionId = live.get(i).session().id();
			if (!sessionId.equals(keep)) {
				endSession(null, sessionId, "max_sessions");
			}
		}
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientBinding binding, String keyThumbprint) {
		return this.timer.time("rotate", Mono.fromCallable(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Rotations.invalid();
			}
			String salt = this.codec.successorSalt();
			RefreshTokenCodec.Draft next = this.codec.successor(parsed, salt);
			long now = this.clock.millis();
			while (true) {
				StoredSession stored = this.sessions.get(parsed.sessionId());
				if (stored == null) {
					return Rotations.invalid();
				}
				MemoryRotation.Step step = this.rotation.rotate(stored, parsed, binding, keyThumbprint, now, next,
						salt);
				if (step.next() == stored) {
					return step.answer();
				}
				if (this.sessions.replace(stored, step.next())) {
					if (step.ended() != null) {
						ended(stored, step.ended());
					}
					return step.answer();
				}
			}
		}));
	}

	@Override
	public Mono<Logout> logout(String presented) {
		return this.timer.time("end", Mono.fromCallable(() -> logoutNow(presented, false)));
	}

	@Override
	public Mono<Logout> logoutAll(String presented) {
		return this.timer.time("end", Mono.fromCallable(() -> logoutNow(presented, true)));
	}

	private Logout logoutNow(String presented, boolean allSessions) {
		RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
		StoredSession stored = (parsed != null) ? this.sessions.get(parsed.sessionId()) : null;
		long now = this.clock.millis();
		if (stored == null || !stored.isLive(now)) {
			return Logout.unknown();
		}
		Session session = stored.session();
		return switch (stored.standing(this.codec, parsed, now, this.settings.reuseGrace().toMillis())) {
			case CURRENT, RETRIABLE ->
				allSessions ? Logout.of(Logout.Outcome.LOGGED_OUT, endAllNow(session.userId(), "logout_all"))
						: ended(Logout.Outcome.LOGGED_OUT, endSession(null, session.id(), "logout"));
			case SPENT -> ended(Logout.Outcome.REUSED, endSession(null, session.id(), "reuse"));
			case FOREIGN -> Logout.unknown();
		};
	}

	private static Logout ended(Logout.Outcome outcome, Session session) {
		return (session != null) ? Logout.of(outcome, List.of(session)) : Logout.unknown();
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return this.timer.time("sessions", Mono.fromCallable(
				() -> this.sessions.live(userId, this.clock.millis()).stream().map(StoredSession::info).toList()));
	}

	@Override
	public Mono<Boolean> end(String userId, String sessionId, String endedBy) {
		return this.timer.time("end", Mono.fromCallable(() -> endSession(userId, sessionId, endedBy) != null));
	}

	@Override
	public Mono<List<Session>> endAll(String userId, String endedBy) {
		return this.timer.time("end", Mono.fromCallable(() -> endAllNow(userId, endedBy)));
	}

	@Override
	public Mono<Void> ping() {
		return Mono.empty();
	}

	private List<Session> endAllNow(String userId, String reason) {
		List<Session> ended = new ArrayList<>();
		for (StoredSession stored : this.sessions.live(userId, this.clock.millis())) {
			Session session = endSession(userId, stored.session().id(), reason);
			if (session != null) {
				ended.add(session);
			}
		}
		return ended;
	}

	/**
	 * Ends {@code sessionId} if it is a live session (of {@code expectedUser}, unless
	 * {@code null}): the one way a session ends. Returns the session, or {@code null}.
	 */
	private Session endSession(String expectedUser, String sessionId, String reason) {
		while (true) {
			StoredSession stored = this.sessions.get(sessionId);
			if (stored == null || (expectedUser != null && !expectedUser.equals(stored.session().userId()))) {
				return null;
			}
			if (this.sessions.replace(stored, null)) {
				ended(stored, reason);
				return stored.session();
			}
		}
	}

	/** Tells of a session that ended, once it is gone from the table. */
	private void ended(StoredSession stored, String reason) {
		this.sessions.unindex(stored);
		this.listener.sessionEnded(stored.session(), reason);
	}

	/** The number of sessions held, expired or not; for tests. */
	int size() {
		return this.sessions.size();
	}

}
