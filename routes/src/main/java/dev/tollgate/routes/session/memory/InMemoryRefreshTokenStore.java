package dev.tollgate.routes.session.memory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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
import dev.tollgate.routes.session.TokenStanding;
import reactor.core.publisher.Mono;

/**
 * A {@link RefreshTokenStore} in this process: for a single gateway instance (demo, tests). Sessions die with the
 * process.
 * <p>
 * Each session is an immutable record in a {@link ConcurrentHashMap}; every change is one
 * {@link ConcurrentHashMap#compute} on the session id, which makes it atomic per session exactly like the Redis
 * store's scripts. A user's sessions are indexed by user id. Expired sessions are dropped when touched, and by a sweep
 * of the whole map at most once a minute of clock time (run by {@link #create}), so memory stays bounded by the live
 * sessions. Ended sessions are told to the {@link SessionEndListener}, which on a single instance is all the
 * revocation there is to spread.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

	static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

	private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Set<String>> byUser = new ConcurrentHashMap<>();

	private final AtomicLong nextSweep = new AtomicLong();

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	private final Clock clock;

	private final StoreTimer timer;

	private final SessionEndListener listener;

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock) {
		this(codec, settings, clock, StoreTimer.NONE, SessionEndListener.NONE);
	}

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock,
			StoreTimer timer, SessionEndListener listener) {
		this.codec = codec;
		this.settings = settings;
		this.clock = clock;
		this.timer = timer;
		this.listener = listener;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding) {
		return this.timer.time("create", Mono.fromCallable(() -> {
			Rotations.requireLogin(userId, roles);
			long now = this.clock.millis();
			sweepIfDue(now);
			String sessionId = this.codec.newSessionId();
			String tagKey = this.codec.newTagKey();
			RefreshTokenCodec.Draft first = this.codec.draft(sessionId, 0);
			Session session = new Session(sessionId, userId, roles);
			long sessionExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), sessionExpiresAt);
			Map<String, String> hashes = new HashMap<>();
			binding.values().forEach((check, value) -> hashes.put(check, Rotations.bindingHash(tagKey, check, value)));
			Family family = new Family(session, now, now, sessionExpiresAt, 0, this.codec.hash(first.nonce()), expiresAt,
					tagKey, null, 0, null, Map.copyOf(hashes));
			this.byUser.computeIfAbsent(userId, (id) -> ConcurrentHashMap.newKeySet()).add(sessionId);
			if (this.families.putIfAbsent(sessionId, family) != null) {
				throw new IllegalStateException("family id collision");
			}
			endOldest(userId, sessionId);
			return Rotations.issued(this.codec.token(first, tagKey), expiresAt, session);
		}));
	}

	private void endOldest(String userId, String keep) {
		List<Family> live = live(userId);
		for (int i = 0; i < live.size() - this.settings.maxSessionsPerUser(); i++) {
			String sessionId = live.get(i).session().id();
			if (!sessionId.equals(keep)) {
				endSession(null, sessionId, "max_sessions");
			}
		}
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientBinding binding) {
		return this.timer.time("rotate", Mono.fromCallable(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Rotations.invalid();
			}
			String salt = this.codec.successorSalt();
			RefreshTokenCodec.Draft next = this.codec.successor(parsed, salt);
			long now = this.clock.millis();
			Rotation[] answer = { Rotations.invalid() };
			boolean[] reused = { false };
			List<String> mismatches = new ArrayList<>();
			boolean enforced = this.settings.binding().enforced();
			this.families.computeIfPresent(parsed.sessionId(), (id, family) -> {
				if (family.currentExpiresAt() <= now) {
					return null;
				}
				TokenStanding standing = standing(parsed, family, now);
				if (standing.held()) {
					mismatches.addAll(family.mismatches(binding));
					if (enforced && !mismatches.isEmpty()) {
						return family;
					}
				}
				if (standing == TokenStanding.CURRENT) {
					long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), family.sessionExpiresAt());
					answer[0] = Rotations.rotated(this.codec.token(next, family.key()), expiresAt, family.session(),
							mismatches);
					return family.rotatedTo(this.codec.hash(next.nonce()), expiresAt, now,
							this.codec.hash(parsed.nonce()), salt);
				}
				if (standing == TokenStanding.RETRIABLE) {
					RefreshTokenCodec.Draft successor = this.codec.successor(parsed, family.successor());
					answer[0] = Rotations.retried(this.codec.token(successor, family.key()),
							family.currentExpiresAt(), family.session(), mismatches);
					return family;
				}
				reused[0] = standing == TokenStanding.SPENT;
				return family;
			});
			if (enforced && !mismatches.isEmpty()) {
				Session ended = endSession(null, parsed.sessionId(), "binding_mismatch");
				return (ended != null) ? Rotations.bindingMismatch(ended, mismatches) : Rotations.invalid();
			}
			if (reused[0]) {
				Session ended = endSession(null, parsed.sessionId(), "reuse");
				return (ended != null) ? Rotations.reused(ended) : Rotations.invalid();
			}
			return answer[0];
		}));
	}

	@Override
	public Mono<Logout> logout(String presented) {
		return this.timer.time("end", Mono.fromCallable(() -> revokeNow(presented, false)));
	}

	@Override
	public Mono<Logout> logoutAll(String presented) {
		return this.timer.time("end", Mono.fromCallable(() -> revokeNow(presented, true)));
	}

	private Logout revokeNow(String presented, boolean allSessions) {
		RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
		Family family = (parsed != null) ? this.families.get(parsed.sessionId()) : null;
		long now = this.clock.millis();
		if (family == null || family.currentExpiresAt() <= now) {
			return Logout.unknown();
		}
		Session session = family.session();
		return switch (standing(parsed, family, now)) {
			case CURRENT, RETRIABLE -> allSessions
					? Logout.of(Logout.Outcome.LOGGED_OUT, endAllNow(session.userId(), "logout_all"))
					: ended(Logout.Outcome.LOGGED_OUT, endSession(null, session.id(), "logout"));
			case SPENT -> ended(Logout.Outcome.REUSED, endSession(null, session.id(), "reuse"));
			case FOREIGN -> Logout.unknown();
		};
	}

	private static Logout ended(Logout.Outcome outcome, Session session) {
		return (session != null) ? Logout.of(outcome, List.of(session)) : Logout.unknown();
	}

	/** What {@code token} is to {@code family}: the rules the Redis store's script applies too. */
	private TokenStanding standing(RefreshTokenCodec.Parsed token, Family family, long now) {
		// this store cannot lose a rotation's answer (nothing is marked unconfirmed), and has no session of the
		// previous format
		TokenStanding.State state = new TokenStanding.State(family.generation(), family.current(), family.previous(),
				family.rotatedAt(), -1, family.key(), 0);
		return TokenStanding.of(this.codec, token, state, now, this.settings.reuseGrace().toMillis());
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return this.timer.time("sessions", Mono.fromCallable(() -> live(userId).stream()
			.map((family) -> new SessionInfo(family.session().id(), Instant.ofEpochMilli(family.createdAt()),
					Instant.ofEpochMilli(family.lastRefreshedAt()), Instant.ofEpochMilli(family.currentExpiresAt())))
			.toList()));
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
		for (Family family : live(userId)) {
			Session session = endSession(userId, family.session().id(), reason);
			if (session != null) {
				ended.add(session);
			}
		}
		return ended;
	}

	/** The live sessions of {@code userId}, oldest first; ended ones are dropped from the index. */
	private List<Family> live(String userId) {
		Set<String> ids = this.byUser.getOrDefault(userId, Set.of());
		long now = this.clock.millis();
		List<Family> live = new ArrayList<>();
		for (String sessionId : ids) {
			Family family = this.families.get(sessionId);
			if (family != null && family.currentExpiresAt() > now) {
				live.add(family);
			}
			else {
				ids.remove(sessionId);
			}
		}
		live.sort(Comparator.comparingLong(Family::createdAt));
		return live;
	}

	/**
	 * Ends {@code sessionId} if it is a live session (of {@code expectedUser}, unless {@code null}): the one way a
	 * session ends. Returns the session, or {@code null}.
	 */
	private Session endSession(String expectedUser, String sessionId, String reason) {
		Session[] ended = { null };
		this.families.computeIfPresent(sessionId, (id, family) -> {
			if (expectedUser != null && !expectedUser.equals(family.session().userId())) {
				return family;
			}
			ended[0] = family.session();
			return null;
		});
		if (ended[0] != null) {
			Set<String> ids = this.byUser.get(ended[0].userId());
			if (ids != null) {
				ids.remove(sessionId);
			}
			this.listener.sessionEnded(ended[0], reason);
		}
		return ended[0];
	}

	/** The number of sessions held, expired or not; for tests. */
	int size() {
		return this.families.size();
	}

	private void sweepIfDue(long now) {
		long due = this.nextSweep.get();
		if (now >= due && this.nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
			// removes an entry only if it still holds the record tested, so a concurrent rotation is never lost
			this.families.values().removeIf((family) -> family.currentExpiresAt() <= now);
			this.byUser.values().removeIf(Set::isEmpty);
		}
	}

	/**
	 * One login session, as the Redis store's hash.
	 *
	 * @param session user and roles
	 * @param createdAt when it started (epoch ms)
	 * @param lastRefreshedAt when it was last rotated (epoch ms)
	 * @param sessionExpiresAt absolute end of the session (epoch ms)
	 * @param generation the current token's generation
	 * @param current hash of the current token's nonce
	 * @param currentExpiresAt end of the current token (epoch ms); the session is dead after it
	 * @param key the session's tag key
	 * @param previous hash of the immediate predecessor's nonce, or {@code null} before the first rotation
	 * @param rotatedAt when the predecessor was rotated (epoch ms)
	 * @param successor the salt from which the current token's nonce was derived (see {@link RefreshTokenCodec#successor})
	 * @param binding the refresh-binding check to the keyed hash of the login's value
	 */
	private record Family(Session session, long createdAt, long lastRefreshedAt, long sessionExpiresAt, int generation,
			String current, long currentExpiresAt, String key, String previous, long rotatedAt, String successor,
			Map<String, String> binding) {

		Family rotatedTo(String next, long nextExpiresAt, long now, String presented, String successorSalt) {
			return new Family(this.session, this.createdAt, now, this.sessionExpiresAt, this.generation + 1, next,
					nextExpiresAt, this.key, presented, now, successorSalt, this.binding);
		}

		/** The checks recorded at login whose value {@code binding} does not match. */
		List<String> mismatches(ClientBinding binding) {
			List<String> failed = new ArrayList<>();
			binding.values().forEach((check, value) -> {
				String recorded = this.binding.get(check);
				if (recorded != null && !recorded.equals(Rotations.bindingHash(this.key, check, value))) {
					failed.add(check);
				}
			});
			return failed;
		}

	}

}
