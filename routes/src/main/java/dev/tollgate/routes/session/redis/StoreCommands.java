package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import io.lettuce.core.RedisException;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * How the Redis store talks to Redis: every operation bounded by the timeout and timed
 * under its operation name, a Redis failure or a timeout turned into
 * {@link StoreUnavailableException}; scripts' replies as lists of strings; with
 * {@code tollgate.redis.wait-replicas} above 0, writes through {@link ReplicatedWrites}.
 */
final class StoreCommands {

	/**
	 * The script replies after which the client may be told of a write: a session
	 * started, rotated, retried (the script then touches the session, so that the
	 * {@code WAIT} also covers the rotation it repeats, which may have been made on
	 * another connection) or ended.
	 */
	private static final Set<String> WRITES = Set.of("CREATED", "ROTATED", "RETRIED", "ENDED");

	private final ReactiveRedisOperations<String, String> redis;

	private final Duration timeout;

	private final StoreTimer timer;

	private final ReplicatedWrites replicated;

	StoreCommands(ReactiveRedisOperations<String, String> redis, Duration timeout, StoreTimer timer,
			ReplicatedWrites replicated) {
		this.redis = redis;
		this.timeout = timeout;
		this.timer = timer;
		this.replicated = replicated;
	}

	/** The shared connection, for reads and clean-ups. */
	ReactiveRedisOperations<String, String> redis() {
		return this.redis;
	}

	/** How writes wait for replicas ({@link ReplicatedWrites#NONE}: they do not). */
	ReplicatedWrites replicated() {
		return this.replicated;
	}

	/**
	 * Runs {@code script} on {@code keys}, timed as {@code operation}. With
	 * {@code tollgate.redis.wait-replicas} above 0, a reply saying the script wrote comes
	 * only once that many replicas acknowledged it.
	 */
	Mono<List<String>> script(String operation, @SuppressWarnings("rawtypes") RedisScript<List> script,
			List<String> keys, List<String> args) {
		if (this.replicated.enabled()) {
			return timed(operation, this.replicated.script(script, keys, args, WRITES));
		}
		return timed(operation, execute(script, keys, args));
	}

	/**
	 * Runs {@code script} on the connection writes go through, never waiting for
	 * replicas, timed as {@code operation} and bounded by half the timeout; a failure is
	 * given up (completes empty).
	 */
	Mono<List<String>> bestEffort(String operation, @SuppressWarnings("rawtypes") RedisScript<List> script,
			List<String> keys, List<String> args) {
		Mono<List<String>> reply = this.replicated.enabled() ? this.replicated.script(script, keys, args, Set.of())
				: execute(script, keys, args);
		return this.timer.time(operation, reply.timeout(this.timeout.dividedBy(2)))
			.onErrorResume(StoreCommands::isUnavailable, (ex) -> Mono.empty());
	}

	/**
	 * {@code work} bounded by the timeout and timed; a Redis failure becomes
	 * {@link StoreUnavailableException}.
	 */
	<T> Mono<T> timed(String operation, Mono<T> work) {
		return this.timer.time(operation, work.timeout(this.timeout)
			.onErrorMap(StoreCommands::isUnavailable,
					(ex) -> new StoreUnavailableException("Refresh-token store unavailable: " + ex.getMessage(), ex)));
	}

	/** {@code script} on the shared connection; its reply as a list of strings. */
	private Mono<List<String>> execute(@SuppressWarnings("rawtypes") RedisScript<List> script, List<String> keys,
			List<String> args) {
		return this.redis.execute(script, keys, args)
			// a multi-bulk reply arrives as a Flux of lists
			.collect(ArrayList<String>::new, StoreCommands::addAll)
			.map(Collections::unmodifiableList);
	}

	private static void addAll(List<String> result, Object reply) {
		for (Object element : (List<?>) reply) {
			result.add((String) element);
		}
	}

	private static boolean isUnavailable(Throwable ex) {
		return ex instanceof DataAccessException || ex instanceof RedisException || ex instanceof TimeoutException;
	}

}
