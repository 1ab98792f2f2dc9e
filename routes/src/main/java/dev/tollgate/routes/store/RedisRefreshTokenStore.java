package dev.tollgate.routes.store;

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

import dev.tollgate.routes.client.ClientFacts;
import dev.tollgate.routes.config.RoutesProperties;
import dev.tollgate.routes.observe.StoreTimer;
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
 * A session lives in one hash, {@code tollgate:rt:{familyId}:family}: user, roles (one per line), when it started and
 * was last refreshed, its end, the generation, the hash of its current token's nonce and that token's end, its tag key,
 * and after a rotation the predecessor's hash, when it was rotated and the salt its successor was derived from (for
 * the grace window). Every value is at most 64 bytes, so that Redis keeps the hash in its compact encoding; it
 * never grows (see {@link RefreshTokenCodec}) and expires with the current token. When a session ends, a marker
 * {@code tollgate:rt:{familyId}:revoked} outlives its last access token, and the revocation is published on
 * {@value #REVOCATION_CHANNEL}. Each atomic step is one Lua script under {@code META-INF/scripts/}, on keys around the
 * hash tag {@code {familyId}}, so that it runs on a Cluster too. Time is this instance's {@link Clock}.
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
	public static final String REVOCATION_CHANNEL = "tollgate:revocations";

	/** Pattern of the revocation markers, for instances that start later (and after a reconnect). */
	public static final String REVOCATION_MARKERS = "tollgate:rt:*:revoked";

	/**
	 * The script replies after which the client may be told of a write: a session started, rotated, retried (the
	 * script then touches the session, so that the {@code WAIT} also covers the rotation it repeats, which may have
	 * been made on another connection) or ended.
	 */
	private static final Set<String> WRITES = Set.of("CREATED", "ROTATED", "RETRIED", "ENDED");

	private static final String FAMILY_PREFIX = "tollgate:rt:{";

	private static final String ROLE_SEPARATOR = "\n";

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CREATE = LuaScripts.load("session_create.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROTATE = LuaScripts.load("session_rotate.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> END = LuaScripts.load("session_end.lua");

	private final RefreshTokenCodec codec;

	private final RoutesProperties.RefreshToken settings;

	private final Clock clock;

	private final ReactiveRedisOperations<String, String> redis;

	private final Options options;

	/**
	 * How the store uses Redis and tells about ended sessions.
	 *
	 * @param timeout the backstop on every operation
	 * @param revocationTtl how long a revocation must be remembered: the access tokens' lifetime plus clock skew
	 * @param timer times every operation
	 * @param listener told of every session this instance ends
	 * @param replicated how writes wait for replicas ({@link ReplicatedWrites#NONE}: they do not)
	 */
	public record Options(Duration timeout, Duration revocationTtl, StoreTimer timer, SessionEndListener listener,
			ReplicatedWrites replicated) {

		/** Writes acknowledged by the master alone ({@code tollgate.redis.wait-replicas: 0}). */
		public Options(Duration timeout, Duration revocationTtl, StoreTimer timer, SessionEndListener listener) {
			this(timeout, revocationTtl, timer, listener, ReplicatedWrites.NONE);
		}

		/** Defaults for tests: {@link #DEFAULT_TIMEOUT}, revocations kept 16 minutes, no timer, no listener. */
		public static Options defaults() {
			return new Options(DEFAULT_TIMEOUT, Duration.ofMinutes(16), StoreTimer.NONE, SessionEndListener.NONE);
		}

	}

	public RedisRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock,
			ReactiveRedisOperations<String, String> redis) {
		this(codec, settings, clock, redis, Options.defaults());
	}

	public RedisRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock,
			ReactiveRedisOperations<String, String> redis, Options options) {
		this.codec = codec;
		this.settings = settings;
		this.clock = clock;
		this.redis = redis;
		this.options = options;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientFacts facts) {
		return Mono.defer(() -> {
			Rotations.requireLogin(userId, roles);
			String familyId = this.codec.newFamilyId();
			String familyKey = this.codec.newFamilyKey();
			RefreshTokenCodec.Draft first = this.codec.draft(familyId, 0);
			long now = this.clock.millis();
			long familyExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), familyExpiresAt);
			Session session = new Session(familyId, userId, roles);
			String index = userIndex(userId);
			Mono<Boolean> indexed = timed("index", this.options.replicated().enabled()
					? this.options.replicated().write(index, (commands) -> commands.zadd(index, now, familyId)
						.then(commands.pexpire(index, this.settings.maxLifetime())))
					: this.redis.opsForZSet().add(index, familyId, now)
						.then(this.redis.expire(index, this.settings.maxLifetime())));
			List<String> arguments = new ArrayList<>(List.of(userId, String.join(ROLE_SEPARATOR, roles),
					Long.toString(now), Long.toString(familyExpiresAt), this.codec.hash(first.nonce()),
					Long.toString(expiresAt), familyKey, Long.toString(expiresAt - now)));
			arguments.addAll(facts.asArguments());
			Mono<List<String>> created = run("create", CREATE, List.of(familyKey(familyId)), arguments);
			return indexed.then(created).flatMap((result) -> {
				if (!"CREATED".equals(result.get(0))) {
					return Mono.error(new IllegalStateException("family id collision"));
				}
				return endOldest(userId, familyId)
					.thenReturn(Rotations.issued(this.codec.token(first, familyKey), expiresAt, session));
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
				.filter((familyId) -> !familyId.equals(keep))
				.concatMap((familyId) -> endSession("", familyId, "max_sessions")
					.switchIfEmpty(removeFromIndex(userId, familyId).then(Mono.empty())))
				.then();
		});
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientFacts facts) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.just(Rotations.invalid());
			}
			String salt = this.codec.successorSalt();
			RefreshTokenCodec.Draft next = this.codec.successor(parsed, salt);
			List<String> arguments = new ArrayList<>(List.of(Integer.toString(parsed.generation()),
					this.codec.hash(parsed.nonce()), Long.toString(this.clock.millis()),
					Long.toString(this.settings.ttl().toMillis()), Long.toString(this.settings.reuseGrace().toMillis()),
					this.codec.hash(next.nonce()), salt, this.settings.binding().enforced() ? "enforce" : "audit"));
			arguments.addAll(facts.asArguments());
			return run("rotate", ROTATE, List.of(familyKey(parsed.familyId())), arguments)
				.flatMap((result) -> switch (result.get(0)) {
					case "ROTATED" -> Mono.just(Rotations.rotated(this.codec.token(next, result.get(4)),
							Long.parseLong(result.get(3)), session(parsed.familyId(), result),
							Rotations.mismatches(result.get(5))));
					case "RETRIED" -> Mono.just(Rotations.retried(this.codec, parsed, result.get(5), result.get(4),
							Long.parseLong(result.get(3)), session(parsed.familyId(), result),
							Rotations.mismatches(result.get(6))));
					case "MISMATCH" -> endSession("", parsed.familyId(), "binding_mismatch")
						.map((session) -> Rotations.bindingMismatch(session, Rotations.mismatches(result.get(3))))
						.defaultIfEmpty(Rotations.invalid());
					case "SUSPECT" -> this.codec.authentic(parsed, result.get(1))
							? endSession("", parsed.familyId(), "reuse").map(Rotations::reused)
								.defaultIfEmpty(Rotations.invalid())
							: Mono.just(Rotations.invalid());
					default -> Mono.just(Rotations.invalid());
				});
		});
	}

	@Override
	public Mono<Session> revoke(String presented) {
		return issuedBy(presented).flatMap((familyId) -> endSession("", familyId, "logout"));
	}

	@Override
	public Mono<List<Session>> revokeAll(String presented) {
		return issuedBy(presented)
			.flatMap((familyId) -> timed("revoke", this.redis.<String, String>opsForHash().get(familyKey(familyId), "user")))
			.flatMap((userId) -> endAll(userId, "logout_all"));
	}

	/**
	 * The session of {@code presented} when it is a token that session issued (its current token, or an earlier one
	 * whose tag verifies); empty otherwise.
	 */
	private Mono<String> issuedBy(String presented) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.empty();
			}
			return timed("revoke", this.redis.<String, String>opsForHash()
				.multiGet(familyKey(parsed.familyId()), List.of("user", "gen", "current", "key", "currentExpiresAt")))
				.filter((f) -> f.get(0) != null && Long.parseLong(f.get(4)) > this.clock.millis())
				.filter((f) -> {
					int generation = Integer.parseInt(f.get(1));
					boolean current = parsed.generation() == generation
							&& this.codec.hash(parsed.nonce()).equals(f.get(2));
					return current || (parsed.generation() < generation && this.codec.authentic(parsed, f.get(3)));
				})
				.map((f) -> parsed.familyId());
		});
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return indexed(userId).concatMap((familyId) -> timed("sessions", this.redis.<String, String>opsForHash()
			.multiGet(familyKey(familyId), List.of("user", "createdAt", "lastRefreshedAt", "currentExpiresAt")))
			.flatMap((f) -> {
				boolean live = userId.equals(f.get(0)) && Long.parseLong(f.get(3)) > this.clock.millis();
				if (!live) {
					// a crash between writes, or a session that ended by expiry: clean the index
					return removeFromIndex(userId, familyId).then(Mono.empty());
				}
				return Mono.just(new SessionInfo(familyId, Instant.ofEpochMilli(Long.parseLong(f.get(1))),
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
			.concatMap((familyId) -> endSession(userId, familyId, endedBy)
				.switchIfEmpty(removeFromIndex(userId, familyId).then(Mono.empty())))
			.collectList();
	}

	@Override
	public Mono<Void> ping() {
		return timed("ping", this.redis.execute((connection) -> connection.ping()).then());
	}

	/**
	 * Ends {@code familyId} if it is a live session (of {@code expectedUser}, unless empty): the one way a session
	 * ends. Completes with the session, or empty.
	 */
	private Mono<Session> endSession(String expectedUser, String familyId, String reason) {
		return Mono.defer(() -> {
			long revocation = this.options.revocationTtl().toMillis();
			return run("end", END, List.of(familyKey(familyId), revokedKey(familyId)), List.of(expectedUser, familyId,
					Long.toString(this.clock.millis() + revocation), Long.toString(revocation), REVOCATION_CHANNEL))
				.filter((result) -> "ENDED".equals(result.get(0)))
				.map((result) -> session(familyId, result))
				.flatMap((session) -> {
					this.options.listener().sessionEnded(session, reason);
					return removeFromIndex(session.userId(), familyId).thenReturn(session);
				});
		});
	}

	private Flux<String> indexed(String userId) {
		return timed("index", this.redis.opsForZSet().range(userIndex(userId), Range.unbounded()).collectList())
			.flatMapMany(Flux::fromIterable);
	}

	private Mono<Long> removeFromIndex(String userId, String familyId) {
		return timed("index", this.redis.opsForZSet().remove(userIndex(userId), familyId));
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
		return timed(operation, this.redis.execute(script, keys, args)
			// a multi-bulk reply arrives as a Flux of lists
			.collect(ArrayList<String>::new, RedisRefreshTokenStore::addAll)
			.map(Collections::unmodifiableList));
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

	private static Session session(String familyId, List<String> result) {
		String roles = Objects.requireNonNullElse(result.get(2), "");
		return new Session(familyId, result.get(1),
				roles.isEmpty() ? List.of() : List.of(roles.split(ROLE_SEPARATOR, -1)));
	}

	static String familyKey(String familyId) {
		return FAMILY_PREFIX + familyId + "}:family";
	}

	static String revokedKey(String familyId) {
		return FAMILY_PREFIX + familyId + "}:revoked";
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
