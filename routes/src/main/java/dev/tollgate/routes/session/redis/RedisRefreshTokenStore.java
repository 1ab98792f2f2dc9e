package dev.tollgate.routes.session.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeoutException;

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
import dev.tollgate.routes.session.TokenStanding;
import io.lettuce.core.RedisException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link RefreshTokenStore} in Redis, shared by every gateway instance; works on standalone, Sentinel and Cluster.
 * <p>
 * A session lives in one hash, {@code tollgate:rt:{sessionId}:family}: user, roles (one per line), when it started and
 * was last refreshed, its end, the generation, the hash of its current token's nonce and that token's end, its tag key,
 * the first generation whose tag is of the current format ({@code v2}), and after a rotation the predecessor's hash,
 * when it was rotated and the salt its successor was derived from (for the grace window), and after a rotation whose
 * answer was lost, the generation that rotation made ({@code unconfirmed}). The rotation script checks the tag of
 * every token presented, so that a token counts only in its one spelling; a session stored before the {@code v2}
 * field existed has its tags checked here, once, before the script is run again saying so ({@code VERIFY}), and the
 * rotation moves it to the current format. Every value is at most 64 bytes, so that Redis keeps the hash in its
 * compact encoding; it
 * never grows (see {@link RefreshTokenCodec}) and expires with the current token. When a session ends, a marker
 * {@code tollgate:rt:{sessionId}:revoked} outlives its last access token, and the revocation is published on
 * {@value #SESSION_END_CHANNEL}. Each atomic step is one Lua script under {@code META-INF/scripts/}, on keys around the
 * hash tag {@code {sessionId}}, so that it runs on a Cluster too. Time is this instance's {@link Clock}.
 * <p>
 * A user's sessions are listed in a sorted set {@code tollgate:user:{hash of the user id}:sessions} (member: session
 * id; score: start). On a Cluster it lives in another slot than the sessions, so it cannot be written in the same
 * script: it is written <em>before</em> a session starts and cleaned <em>after</em> it ends, so that a crash between
 * the two writes leaves a stale entry (skipped and removed when listed), never a live session missing from it.
 * <p>
 * A Redis error, or no answer within the timeout, fails the operation with {@link StoreUnavailableException}.
 * <p>
 * With {@code tollgate.redis.wait-replicas} above 0, every write the client is told about (a login, a rotation or a
 * retried rotation, the end of a session, and the user index entry written before a login) goes through
 * {@link ReplicatedWrites}: answered only once that many replicas acknowledged it, else 503. Reads and index clean-ups
 * keep using the shared connection.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {

	/** The backstop on every operation when none is given: {@code tollgate.redis.timeout}'s default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** Where session revocations are published: {@code <session id> <revoked until, epoch ms>}. */
	public static final String SESSION_END_CHANNEL = "tollgate:revocations";

	/** Pattern of the revocation markers, for instances that start later (and after a reconnect). */
	public static final String SESSION_END_MARKERS = "tollgate:rt:*:revoked";

	/**
	 * The script replies after which the client may be told of a write: a session started, rotated, retried (the
	 * script then touches the session, so that the {@code WAIT} also covers the rotation it repeats, which may have
	 * been made on another connection) or ended.
	 */
	private static final Set<String> WRITES = Set.of("CREATED", "ROTATED", "RETRIED", "ENDED");

	private static final String SESSION_PREFIX = "tollgate:rt:{";

	/** The position of the rotation script's mode among its arguments ({@code rotate} or {@code mark}). */
	private static final int MODE_ARGUMENT = 10;

	private static final String ROLE_SEPARATOR = "\n";

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CREATE = LuaScripts.load("session_create.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROTATE = LuaScripts.load("session_rotate.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> END = LuaScripts.load("session_end.lua");

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	private final Clock clock;

	private final ReactiveRedisOperations<String, String> redis;

	private final Options options;

	/**
	 * How the store uses Redis and tells about ended sessions.
	 *
	 * @param timeout the backstop on every operation
	 * @param endedRetention how long a revocation must be remembered: the access tokens' lifetime plus clock skew
	 * @param timer times every operation
	 * @param listener told of every session this instance ends
	 * @param replicated how writes wait for replicas ({@link ReplicatedWrites#NONE}: they do not)
	 */
	public record Options(Duration timeout, Duration endedRetention, StoreTimer timer, SessionEndListener listener,
			ReplicatedWrites replicated) {

		/** Writes acknowledged by the master alone ({@code tollgate.redis.wait-replicas: 0}). */
		public Options(Duration timeout, Duration endedRetention, StoreTimer timer, SessionEndListener listener) {
			this(timeout, endedRetention, timer, listener, ReplicatedWrites.NONE);
		}

		/** Defaults for tests: {@link #DEFAULT_TIMEOUT}, revocations kept 16 minutes, no timer, no listener. */
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
		this.redis = redis;
		this.options = options;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding) {
		return Mono.defer(() -> {
			Rotations.requireLogin(userId, roles);
			String sessionId = this.codec.newSessionId();
			String tagKey = this.codec.newTagKey();
			RefreshTokenCodec.Draft first = this.codec.draft(sessionId, 0);
			long now = this.clock.millis();
			long sessionExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), sessionExpiresAt);
			Session session = new Session(sessionId, userId, roles);
			String index = userIndex(userId);
			Mono<Boolean> indexed = timed("index", this.options.replicated().enabled()
					? this.options.replicated().write(index, (commands) -> commands.zadd(index, now, sessionId)
						.then(commands.pexpire(index, this.settings.maxLifetime())))
					: this.redis.opsForZSet().add(index, sessionId, now)
						.then(this.redis.expire(index, this.settings.maxLifetime())));
			List<String> arguments = new ArrayList<>(List.of(userId, String.join(ROLE_SEPARATOR, roles),
					Long.toString(now), Long.toString(sessionExpiresAt), this.codec.hash(first.nonce()),
					Long.toString(expiresAt), tagKey, Long.toString(expiresAt - now)));
			arguments.addAll(binding.asArguments());
			Mono<List<String>> created = run("create", CREATE, List.of(sessionKey(sessionId)), arguments);
			return indexed.then(created).flatMap((result) -> {
				if (!"CREATED".equals(result.get(0))) {
					return Mono.error(new IllegalStateException("family id collision"));
				}
				return endOldest(userId, sessionId)
					.thenReturn(Rotations.issued(this.codec.token(first, tagKey), expiresAt, session));
			});
		});
	}

	/** Past {@code max-sessions-per-user}, ends the user's oldest sessions, never {@code keep}. */
	private Mono<Void> endOldest(String userId, String keep) {
		String index = userIndex(userId);
		int max = this.settings.maxSessionsPerUser();
		return timed("index", this.redis.opsForZSet().size(index)).flatMap((count) -> {
			if (count <= max) {
				return Mono.empty();
			}
			return timed("index", this.redis.opsForZSet().range(index, Range.closed(0L, count - max - 1)).collectList())
				.flatMapMany(Flux::fromIterable)
				.filter((sessionId) -> !sessionId.equals(keep))
				.concatMap((sessionId) -> endSession("", sessionId, "max_sessions")
					.switchIfEmpty(removeFromIndex(userId, sessionId).then(Mono.empty())))
				.then();
		});
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientBinding binding) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			return (parsed != null) ? rotate(parsed, binding, false) : Mono.just(Rotations.invalid());
		});
	}

	/**
	 * Runs the rotation script once. {@code verified}: this gateway has checked the presented token's tag, one of the
	 * previous format, which the script cannot check (it answered {@code VERIFY}).
	 * <p>
	 * When the script may have run without its answer reaching the client (a timeout after the command was sent,
	 * {@code WAIT} not acknowledged), the session is marked, best effort, so that the token the client still holds
	 * is not taken for a spent one when it comes back (the same script, in mode {@code mark}, on the same connection
	 * as the rotation, so that it runs after it). The answer is 503 all the same.
	 */
	private Mono<Rotation> rotate(RefreshTokenCodec.Parsed parsed, ClientBinding binding, boolean verified) {
		String salt = this.codec.successorSalt();
		RefreshTokenCodec.Draft next = this.codec.successor(parsed, salt);
		List<String> keys = List.of(sessionKey(parsed.sessionId()));
		List<String> arguments = new ArrayList<>(List.of(Integer.toString(parsed.generation()),
				this.codec.hash(parsed.nonce()), this.codec.tagHex(parsed), Long.toString(this.clock.millis()),
				Long.toString(this.settings.ttl().toMillis()), Long.toString(this.settings.reuseGrace().toMillis()),
				this.codec.hash(next.nonce()), salt, this.settings.binding().enforced() ? "enforce" : "audit",
				verified ? "1" : "0", "rotate"));
		arguments.addAll(binding.asArguments());
		return run("rotate", ROTATE, keys, arguments)
			.onErrorResume(StoreUnavailableException.class,
					(ex) -> markUnconfirmed(keys, arguments, ex).then(Mono.error(ex)))
			.flatMap((result) -> switch (result.get(0)) {
				case "ROTATED" -> Mono.just(Rotations.rotated(this.codec.tagged(next, result.get(4)),
						Long.parseLong(result.get(3)), session(parsed.sessionId(), result),
						Rotations.mismatches(result.get(5))));
				case "RETRIED" -> Mono.just(retried(parsed, result));
				case "MISMATCH" -> endSession("", parsed.sessionId(), "binding_mismatch")
					.map((session) -> Rotations.bindingMismatch(session, Rotations.mismatches(result.get(3))))
					.defaultIfEmpty(Rotations.invalid());
				case "REUSED" -> endSession("", parsed.sessionId(), "reuse").map(Rotations::reused)
					.defaultIfEmpty(Rotations.invalid());
				case "VERIFY" -> (!verified && this.codec.authentic(parsed, result.get(1),
						RefreshTokenCodec.PREVIOUS_FORMAT_ONLY)) ? rotate(parsed, binding, true)
								: Mono.just(Rotations.invalid());
				default -> Mono.just(Rotations.invalid());
			});
	}

	/** The successor a retry gets: derived again from the presented token and the stored salt, tagged again. */
	private Rotation retried(RefreshTokenCodec.Parsed presented, List<String> result) {
		RefreshTokenCodec.Draft successor = this.codec.successor(presented, result.get(4));
		if (successor == null) {
			// the presented token was the session's, so only a damaged record gets here
			return Rotations.invalid();
		}
		String token = result.get(6).isEmpty() ? this.codec.previousFormatToken(successor, result.get(7))
				: this.codec.tagged(successor, result.get(6));
		return Rotations.retried(token, Long.parseLong(result.get(3)), session(presented.sessionId(), result),
				Rotations.mismatches(result.get(5)));
	}

	/**
	 * Marks the session if the rotation with {@code rotation}'s arguments ran: its token stays retriable until the
	 * successor is rotated. Never waits for replicas (it would fail as the rotation did). When Redis answered (too few
	 * replicas acknowledged the rotation), the 503 waits for the mark, at most half the timeout, so that the client's
	 * retry finds it wherever it goes. When Redis did not answer, waiting would only delay the 503: the mark is sent
	 * on the rotation's connection, where Redis runs it after the rotation whenever it gets to them. A mark that
	 * cannot be written is given up: the token is then a retry within {@code reuse-grace} only.
	 */
	private Mono<Void> markUnconfirmed(List<String> keys, List<String> rotation, StoreUnavailableException failure) {
		List<String> arguments = new ArrayList<>(rotation);
		arguments.set(MODE_ARGUMENT, "mark");
		Mono<List<String>> script = this.options.replicated().enabled()
				? this.options.replicated().script(ROTATE, keys, arguments, Set.of())
				: execute(ROTATE, keys, arguments);
		Mono<Void> mark = this.options.timer()
			.time("mark", script.timeout(this.options.timeout().dividedBy(2)))
			.then()
			.onErrorResume(RedisRefreshTokenStore::isUnavailable, (ex) -> Mono.empty());
		if (failure.getCause() instanceof ReplicatedWrites.NotAcknowledgedException) {
			return mark;
		}
		mark.subscribe();
		return Mono.empty();
	}

	@Override
	public Mono<Logout> logout(String presented) {
		return standing(presented).flatMap((token) -> switch (token.standing()) {
			case CURRENT, RETRIABLE -> endSession("", token.sessionId(), "logout")
				.map((session) -> Logout.of(Logout.Outcome.LOGGED_OUT, List.of(session)));
			case SPENT -> endReused(token.sessionId());
			default -> Mono.<Logout>empty();
		}).defaultIfEmpty(Logout.unknown());
	}

	@Override
	public Mono<Logout> logoutAll(String presented) {
		return standing(presented).flatMap((token) -> switch (token.standing()) {
			case CURRENT, RETRIABLE -> endAll(token.userId(), "logout_all")
				.map((sessions) -> Logout.of(Logout.Outcome.LOGGED_OUT, sessions));
			case SPENT -> endReused(token.sessionId());
			default -> Mono.<Logout>empty();
		}).defaultIfEmpty(Logout.unknown());
	}

	private Mono<Logout> endReused(String sessionId) {
		return endSession("", sessionId, "reuse")
			.map((session) -> Logout.of(Logout.Outcome.REUSED, List.of(session)));
	}

	/** The standing of {@code presented} in its live session (see {@link TokenStanding}); empty without one. */
	private Mono<Presented> standing(String presented) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.empty();
			}
			return timed("revoke", this.redis.<String, String>opsForHash()
				.multiGet(sessionKey(parsed.sessionId()), List.of("user", "currentExpiresAt", "gen", "current",
						"previous", "rotatedAt", "unconfirmed", "key", "v2")))
				.filter((f) -> f.get(0) != null && Long.parseLong(f.get(1)) > this.clock.millis())
				.map((f) -> new Presented(parsed.sessionId(), f.get(0), TokenStanding.of(this.codec, parsed,
						new TokenStanding.State(Integer.parseInt(f.get(2)), f.get(3), f.get(4), number(f.get(5)),
								(int) number(f.get(6)), f.get(7),
								(f.get(8) != null) ? Integer.parseInt(f.get(8)) : RefreshTokenCodec.PREVIOUS_FORMAT_ONLY),
						this.clock.millis(), this.settings.reuseGrace().toMillis())));
		});
	}

	/**
	 * A presented token in its live session.
	 *
	 * @param sessionId the session
	 * @param userId its user
	 * @param standing what the token is to it
	 */
	private record Presented(String sessionId, String userId, TokenStanding standing) {
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return indexed(userId).concatMap((sessionId) -> timed("sessions", this.redis.<String, String>opsForHash()
			.multiGet(sessionKey(sessionId), List.of("user", "createdAt", "lastRefreshedAt", "currentExpiresAt")))
			.flatMap((f) -> {
				boolean live = userId.equals(f.get(0)) && Long.parseLong(f.get(3)) > this.clock.millis();
				if (!live) {
					// a crash between writes, or a session that ended by expiry: clean the index
					return removeFromIndex(userId, sessionId).then(Mono.empty());
				}
				return Mono.just(new SessionInfo(sessionId, Instant.ofEpochMilli(Long.parseLong(f.get(1))),
						Instant.ofEpochMilli(Long.parseLong(f.get(2))), Instant.ofEpochMilli(Long.parseLong(f.get(3)))));
			}))
			.collectList();
	}

	@Override
	public Mono<Boolean> end(String userId, String sessionId, String endedBy) {
		return endSession(userId, sessionId, endedBy).hasElement();
	}

	@Override
	public Mono<List<Session>> endAll(String userId, String endedBy) {
		return indexed(userId)
			.concatMap((sessionId) -> endSession(userId, sessionId, endedBy)
				.switchIfEmpty(removeFromIndex(userId, sessionId).then(Mono.empty())))
			.collectList();
	}

	@Override
	public Mono<Void> ping() {
		return timed("ping", this.redis.execute((connection) -> connection.ping()).then());
	}

	/**
	 * Ends {@code sessionId} if it is a live session (of {@code expectedUser}, unless empty): the one way a session
	 * ends. Completes with the session, or empty.
	 */
	private Mono<Session> endSession(String expectedUser, String sessionId, String reason) {
		return Mono.defer(() -> {
			long revocation = this.options.endedRetention().toMillis();
			return run("end", END, List.of(sessionKey(sessionId), endMarkerKey(sessionId)), List.of(expectedUser, sessionId,
					Long.toString(this.clock.millis() + revocation), Long.toString(revocation), SESSION_END_CHANNEL))
				.filter((result) -> "ENDED".equals(result.get(0)))
				.map((result) -> session(sessionId, result))
				.flatMap((session) -> {
					this.options.listener().sessionEnded(session, reason);
					return removeFromIndex(session.userId(), sessionId).thenReturn(session);
				});
		});
	}

	private Flux<String> indexed(String userId) {
		return timed("index", this.redis.opsForZSet().range(userIndex(userId), Range.unbounded()).collectList())
			.flatMapMany(Flux::fromIterable);
	}

	private Mono<Long> removeFromIndex(String userId, String sessionId) {
		return timed("index", this.redis.opsForZSet().remove(userIndex(userId), sessionId));
	}

	/**
	 * Runs {@code script} on {@code keys}, timed as {@code operation}; the script's reply as a list of strings. With
	 * {@code tollgate.redis.wait-replicas} above 0, a reply saying the script wrote (see {@link #WRITES}) comes only
	 * once that many replicas acknowledged it.
	 */
	private Mono<List<String>> run(String operation, @SuppressWarnings("rawtypes") RedisScript<List> script,
			List<String> keys, List<String> args) {
		if (this.options.replicated().enabled()) {
			return timed(operation, this.options.replicated().script(script, keys, args, WRITES));
		}
		return timed(operation, execute(script, keys, args));
	}

	/** {@code script} on the shared connection; its reply as a list of strings. */
	private Mono<List<String>> execute(@SuppressWarnings("rawtypes") RedisScript<List> script, List<String> keys,
			List<String> args) {
		return this.redis.execute(script, keys, args)
			// a multi-bulk reply arrives as a Flux of lists
			.collect(ArrayList<String>::new, RedisRefreshTokenStore::addAll)
			.map(Collections::unmodifiableList);
	}

	/** {@code work} bounded by the timeout and timed; a Redis failure becomes {@link StoreUnavailableException}. */
	private <T> Mono<T> timed(String operation, Mono<T> work) {
		return this.options.timer()
			.time(operation, work.timeout(this.options.timeout())
				.onErrorMap(RedisRefreshTokenStore::isUnavailable,
						(ex) -> new StoreUnavailableException("Refresh-token store unavailable: " + ex.getMessage(), ex)));
	}

	private static void addAll(List<String> result, Object reply) {
		for (Object element : (List<?>) reply) {
			result.add((String) element);
		}
	}

	/** A number the session stores, -1 when absent. */
	private static long number(String stored) {
		return (stored != null) ? Long.parseLong(stored) : -1;
	}

	private static Session session(String sessionId, List<String> result) {
		String roles = Objects.requireNonNullElse(result.get(2), "");
		return new Session(sessionId, result.get(1),
				roles.isEmpty() ? List.of() : List.of(roles.split(ROLE_SEPARATOR, -1)));
	}

	static String sessionKey(String sessionId) {
		return SESSION_PREFIX + sessionId + "}:family";
	}

	static String endMarkerKey(String sessionId) {
		return SESSION_PREFIX + sessionId + "}:revoked";
	}

	/** The user's index key: a hash of the user id, so that any id makes a short key of its own slot. */
	static String userIndex(String userId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
			return "tollgate:user:{" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
					+ "}:sessions";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static boolean isUnavailable(Throwable ex) {
		return ex instanceof DataAccessException || ex instanceof RedisException || ex instanceof TimeoutException;
	}

}
