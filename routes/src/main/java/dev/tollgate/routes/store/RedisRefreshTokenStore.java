package dev.tollgate.routes.store;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.config.RoutesProperties;
import dev.tollgate.routes.observe.StoreTimer;
import io.lettuce.core.RedisException;
import reactor.core.publisher.Mono;

import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * A {@link RefreshTokenStore} in Redis, shared by every gateway instance; works on standalone, Sentinel and
 * Cluster.
 * <p>
 * A family lives in two keys around the hash tag {@code {familyId}}, so that one script can touch both on a
 * Cluster: {@code tollgate:rt:{familyId}:family}, a hash (user, roles one per line, family end, hash and end of
 * the current token, hash of its predecessor, when that was rotated, and the current token sealed under the
 * predecessor's secret), and {@code tollgate:rt:{familyId}:used}, a set of the hashes of every token already
 * rotated. Each operation is one Lua script under {@code META-INF/scripts/}; both keys always expire with the
 * current token. Time is this instance's {@link Clock}, passed to the scripts.
 * <p>
 * A Redis error, or no answer within the timeout, fails the operation with {@link StoreUnavailableException}. Set
 * the client's own command timeout ({@code spring.data.redis.timeout}) below this one: after a timeout the
 * script may still have run.
 */
public final class RedisRefreshTokenStore implements RefreshTokenStore {

	/** The backstop on every operation when none is given: {@code tollgate.redis.timeout}'s default. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	private static final String KEY_PREFIX = "tollgate:rt:{";

	private static final String ROLE_SEPARATOR = "\n";

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> CREATE = script("refresh_create.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROTATE = script("refresh_rotate.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> REVOKE = script("refresh_revoke.lua");

	private final RefreshTokenCodec codec;

	private final RoutesProperties.RefreshToken settings;

	private final Clock clock;

	private final ReactiveRedisOperations<String, String> redis;

	private final Duration timeout;

	private final StoreTimer timer;

	public RedisRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock,
			ReactiveRedisOperations<String, String> redis) {
		this(codec, settings, clock, redis, DEFAULT_TIMEOUT, StoreTimer.NONE);
	}

	public RedisRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock,
			ReactiveRedisOperations<String, String> redis, Duration timeout, StoreTimer timer) {
		this.codec = codec;
		this.settings = settings;
		this.clock = clock;
		this.redis = redis;
		this.timeout = timeout;
		this.timer = timer;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles) {
		return Mono.defer(() -> {
			Rotations.requireLogin(userId, roles);
			RefreshTokenCodec.Minted first = this.codec.mintFamily();
			long now = this.clock.millis();
			long familyExpiresAt = now + this.settings.maxLifetime().toMillis();
			long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), familyExpiresAt);
			return run("create", CREATE, first.familyId(), userId, String.join(ROLE_SEPARATOR, roles),
					Long.toString(familyExpiresAt), first.hash(), Long.toString(expiresAt),
					Long.toString(expiresAt - now))
				.map((result) -> {
					if (!"CREATED".equals(result.get(0))) {
						throw new IllegalStateException("family id collision");
					}
					return Rotations.issued(first.value(), expiresAt, new Session(first.familyId(), userId, roles));
				});
		});
	}

	@Override
	public Mono<Rotation> rotate(String presented) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.just(Rotations.invalid());
			}
			RefreshTokenCodec.Minted successor = this.codec.mint(parsed.familyId());
			String sealed = this.codec.seal(parsed.secret(), parsed.familyId(), successor.value());
			return run("rotate", ROTATE, parsed.familyId(), this.codec.hash(parsed.secret()),
					Long.toString(this.clock.millis()), Long.toString(this.settings.ttl().toMillis()),
					Long.toString(this.settings.reuseGrace().toMillis()), successor.hash(), sealed)
				.map((result) -> switch (result.get(0)) {
					case "ROTATED" -> Rotations.rotated(successor.value(), Long.parseLong(result.get(3)),
							session(parsed.familyId(), result));
					case "RETRIED" -> Rotations.retried(this.codec, parsed, result.get(4),
							Long.parseLong(result.get(3)), session(parsed.familyId(), result));
					case "REUSED" -> Rotations.reused(session(parsed.familyId(), result));
					default -> Rotations.invalid();
				});
		});
	}

	@Override
	public Mono<Session> revoke(String presented) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.empty();
			}
			return run("revoke", REVOKE, parsed.familyId(), this.codec.hash(parsed.secret()), Long.toString(this.clock.millis()))
				.filter((result) -> "REVOKED".equals(result.get(0)))
				.map((result) -> session(parsed.familyId(), result));
		});
	}

	@Override
	public Mono<Void> ping() {
		return this.timer.time("ping", available(this.redis.execute((connection) -> connection.ping()).then()));
	}

	/**
	 * Runs {@code script} on the keys of {@code familyId}, timed as {@code operation}; the script's reply as a list
	 * of strings.
	 */
	private Mono<List<String>> run(String operation, @SuppressWarnings("rawtypes") RedisScript<List> script,
			String familyId, String... args) {
		String prefix = KEY_PREFIX + familyId + "}:";
		return this.timer.time(operation,
				available(this.redis.execute(script, List.of(prefix + "family", prefix + "used"), Arrays.asList(args))
					// a multi-bulk reply arrives as a Flux of lists
					.collect(ArrayList<String>::new, RedisRefreshTokenStore::addAll)
					.map(Collections::unmodifiableList)));
	}

	/** {@code work} bounded by the timeout, a Redis failure turned into {@link StoreUnavailableException}. */
	private <T> Mono<T> available(Mono<T> work) {
		return work.timeout(this.timeout)
			.onErrorMap(RedisRefreshTokenStore::isUnavailable,
					(ex) -> new StoreUnavailableException("Refresh-token store unavailable: " + ex.getMessage(), ex));
	}

	private static void addAll(List<String> result, Object reply) {
		for (Object element : (List<?>) reply) {
			result.add((String) element);
		}
	}

	private static Session session(String familyId, List<String> result) {
		String roles = result.get(2);
		return new Session(familyId, result.get(1),
				roles.isEmpty() ? List.of() : List.of(roles.split(ROLE_SEPARATOR, -1)));
	}

	private static boolean isUnavailable(Throwable ex) {
		return ex instanceof DataAccessException || ex instanceof RedisException || ex instanceof TimeoutException;
	}

	@SuppressWarnings("rawtypes")
	private static RedisScript<List> script(String name) {
		return RedisScript.of(new ClassPathResource("META-INF/scripts/" + name), List.class);
	}

}
