package dev.tollgate.routes.session.redis;

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
import dev.tollgate.routes.session.StoreUnavailableException;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link RefreshTokenStore} in Redis, shared by every gateway instance; works on
 * standalone, Sentinel and Cluster.
 * <p>
 * A session lives in one hash, {@code tollgate:rt:{sessionId}:family}: user, roles (one
 * per line), when it started and was last refreshed, its end, the generation, the hash of
 * its current token's nonce and that token's end, its tag key, the first generation whose
 * tag is of the current format ({@code v2}), for a session bound to a DPoP key that key's
 * thumbprint ({@code jkt}; absent for a bearer session, sessions stored before DPoP
 * included), and after a rotation the predecessor's hash, when it was rotated and the
 * salt its successor was derived from (for the grace window), and after a rotation whose
 * answer was lost, the generation that rotation made ({@code unconfirmed}). Every value
 * is at most 64 bytes, so that Redis keeps the hash in its compact encoding; it never
 * grows (see {@link RefreshTokenCodec}) and expires with the current token. Each atomic
 * step is one Lua script under {@code META-INF/scripts/}, on keys around the hash tag
 * {@code {sessionId}} ({@link RedisKeys}), so that it runs on a Cluster too, and each
 * script's reply is read by a decoder of its own ({@link CreateReply},
 * {@link RotateReply}, {@link EndReply}). Time is this instance's {@link Clock}. The
 * rotation is {@link RedisRotation}'s, a logout {@link RedisLogout}'s, the end of a
 * session {@link SessionEnder}'s, a user's list of sessions {@link UserSessionIndex}'s.
 * <p>
 * A Redis error, or no answer within the timeout, fails the operation with
 * {@link StoreUnavailableException} ({@link StoreCommands}). With
 * {@code tollgate.redis.wait-replicas} above 0, every write the client is told about (a
 * login, a rotation or a retried rotation, the end of a session, and the user index entry
 * written before a login) goes through {@link ReplicatedWrites}: answered only once that
 * many replicas acknowledged it, else 503. Reads and index clean-ups keep using the
 * shared connection.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {

	/**
	 * The backstop on every operation when none is given:
	 * {@code tollgate.redis.timeout}'s default.
	 */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CREATE = LuaScripts.load("session_create.lua");

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	private final Clock clock;

	private final StoreCommands commands;

	private final UserSessionIndex index;

	private final SessionEnder ender;

	private final RedisRotation rotation;

	private final RedisLogout logout;

	/**
	 * How the store uses Redis and tells about ended sessions.
	 *
	 * @param timeout the backstop on every operation
	 * @param endedRetention how long an ended session must be remembered: the access
	 * tokens' lifetime plus clock skew
	 * @param timer times every operation
	 * @param listener told of every session this instance ends
	 * @param replicated how writes wait for replicas ({@link ReplicatedWrites#NONE}: they
	 * do not)
	 */
	public record Options(Duration timeout, Duration endedRetention, StoreTimer timer, SessionEndListener listener,
			ReplicatedWrites replicated) {

		/**
		 * Writes acknowledged by the master alone
		 * ({@code tollgate.redis.wait-replicas: 0}).
		 */
		public Options(Duration timeout, Duration endedRetention, StoreTimer timer, SessionEndListener listener) {
			this(timeout, endedRetention, timer, listener, ReplicatedWrites.NONE);
		}

		/**
		 * Defaults for tests: {@link #DEFAULT_TIMEOUT}, ended sessions kept 16 minutes,
		 * no timer, no listener.
		 */
		public static Options defaults() {
			return new Options(DEFAULT_TIMEOUT, Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE);
		}

	}

	public RedisRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock,
			ReactiveRedisOperations<String, String> redis) {
		this(codec, settings, clock, redis, Options.defaults());
	}

	public RedisRefreshTokenStore(RefreshTokenCodec codec, SessionSettings settings, Clock clock,
			ReactiveRedisOperations<String, String> redis, Options options) {
		this.codec = codec;
		this.settings = settings;
		this.clock = clock;
		this.commands = new StoreCommands(redis, options.timeout(), options.timer(), options.replicated());
		this.index = new UserSessionIndex(this.commands, settings.maxLifetime());
		this.ender = new SessionEnder(clock, this.commands, this.index, options.endedRetention(), options.listener());
		this.rotation = new RedisRotation(codec, settings, clock, this.commands, this.ender);
		this.logout = new RedisLogout(codec, settings.reuseGrace().toMillis(), clock, this.commands, this.ender,
				this::endAll);
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding,
			String keyThumbprint) {
		return Mono.defer(() -> {
			Rotations.requireLogin(userId, roles);
			String sessionId = this.codec.newSessionId();
			String tagKey = this.codec.newTagKey();
			RefreshTokenCodec.Draft first = this.codec.draft(sessionId, 0);
			long now = this.clock.millis();
			long sessionExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), sessionExpiresAt);
			List<String> arguments = new ArrayList<>(List.of(userId, StoredRoles.encode(roles), Long.toString(now),
					Long.toString(sessionExpiresAt), this.codec.hash(first.nonce()), Long.toString(expiresAt), tagKey,
					Long.toString(expiresAt - now), (keyThumbprint != null) ? keyThumbprint : ""));
			arguments.addAll(binding.asArguments());
			Mono<List<String>> created = this.commands.script("create", CREATE, List.of(RedisKeys.session(sessionId)),
					arguments);
			return this.index.add(userId, sessionId, now).then(created).flatMap((reply) -> {
				if (CreateReply.decode(reply) != CreateReply.CREATED) {
					return Mono.error(new IllegalStateException("session id collision"));
				}
				return endOldest(userId, sessionId).thenReturn(Rotations.issued(this.codec.token(first, tagKey),
						expiresAt, new Session(sessionId, userId, roles, keyThumbprint)));
			});
		});
	}

	/**
	 * Past {@code max-sessions-per-user}, ends the user's oldest sessions, never
	 * {@code keep}.
	 */
	private Mono<Void> endOldest(String userId, String keep) {
		return this.index.beyond(userId, this.settings.maxSessionsPerUser())
			.filter((sessionId) -> !sessionId.equals(keep))
			.concatMap((sessionId) -> this.ender.end("", sessionId, "max_sessions")
				.switchIfEmpty(this.index.remove(userId, sessionId).then(Mono.empty())))
			.then();
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientBinding binding, String keyThumbprint) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			return (parsed != null) ? this.rotation.rotate(parsed, binding, keyThumbprint)
					: Mono.just(Rotations.invalid());
		});
	}

	@Override
	public Mono<Logout> logout(String presented) {
		return this.logout.logout(presented, false);
	}

	@Override
	public Mono<Logout> logoutAll(String presented) {
		return this.logout.logout(presented, true);
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return this.index.sessionIds(userId)
			.concatMap((sessionId) -> this.commands
				.timed("sessions",
						this.commands.redis()
							.<String, String>opsForHash()
							.multiGet(RedisKeys.session(sessionId), StoredSessionFields.LISTING))
				.flatMap((fields) -> {
					StoredSessionFields.Listed listed = StoredSessionFields.listed(fields);
					if (listed == null || !userId.equals(listed.userId())
							|| listed.currentExpiresAt() <= this.clock.millis()) {
						// a crash between writes, or a session that ended by expiry:
						// clean the index
						return this.index.remove(userId, sessionId).then(Mono.empty());
					}
					return Mono.just(listed.info(sessionId));
				}))
			.collectList();
	}

	@Override
	public Mono<Boolean> end(String userId, String sessionId, String endedBy) {
		return this.ender.end(userId, sessionId, endedBy).hasElement();
	}

	@Override
	public Mono<List<Session>> endAll(String userId, String endedBy) {
		return this.index.sessionIds(userId)
			.concatMap((sessionId) -> this.ender.end(userId, sessionId, endedBy)
				.switchIfEmpty(this.index.remove(userId, sessionId).then(Mono.empty())))
			.collectList();
	}

	@Override
	public Mono<Void> ping() {
		return this.commands.timed("ping", this.commands.redis().execute((connection) -> connection.ping()).then());
	}

}
