package dev.tollgate.routes.session.redis;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import dev.tollgate.routes.session.StoreTimer;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * Writes that are answered only once {@code tollgate.redis.wait-replicas} replicas
 * acknowledged them (Redis {@code WAIT}), so that a Sentinel or Cluster fail-over cannot
 * lose a rotation, login or end of a session the client was told about.
 * <p>
 * Why this class speaks Lettuce directly rather than through Spring Data Redis:
 * <ul>
 * <li>{@code WAIT} counts only the writes made <em>on its own connection</em> before it
 * (the server compares the replicas' acknowledged offset with that client's last write
 * offset), so it must follow the write on the very connection that made it. Spring Data
 * Redis's reactive API has no {@code WAIT}, nor a public way to pin a connection (its
 * shared native connection is shared by every caller, and its dedicated connections are
 * internal).</li>
 * <li>{@code WAIT} blocks its connection on the server until the replicas answer or the
 * timeout passes. On the shared connection it would hold up every other command of the
 * instance; here it holds up only these writes.</li>
 * <li>Redis forbids {@code WAIT} inside a Lua script (and inside {@code MULTI} it never
 * blocks), so the script and the {@code WAIT} are two commands, sent one after the other
 * on one connection.</li>
 * <li>On a Cluster, {@code WAIT} has no key, so a cluster connection would send it to any
 * node. Here both the write and the {@code WAIT} go through the cluster client's
 * connection to the master that owns the key's slot (the partition table Lettuce keeps).
 * If that table is stale (a fail-over), the write is refused with {@code MOVED} or the
 * connection fails: nothing is written, the caller answers 503, and the table is
 * refreshed for the next attempt.</li>
 * </ul>
 * Standalone and Sentinel use one connection of the same {@link RedisClient} Spring Boot
 * configured (its URI, with the Sentinel master name, credentials and TLS); Lettuce
 * reconnects it to the new master after a fail-over. Writes of one instance to one master
 * are therefore serialised: each holds the connection for one replica round trip. A retry
 * from the same instance always runs after the attempt it retries. The connections are
 * {@link MasterConnections}'.
 * <p>
 * A {@code WAIT} that gets fewer acknowledgements than asked fails with
 * {@link NotAcknowledgedException} (timed as store operation {@code wait}, outcome
 * {@code timeout}, and logged at WARN); the caller answers 503. The write itself stays on
 * the master and may or may not survive a fail-over; that is why the store then marks the
 * session (see {@code RedisRefreshTokenStore}): the client's retry of the same refresh
 * token gets the same successor, whatever {@code reuse-grace} is, until that successor
 * has been used.
 */
public final class ReplicatedWrites implements AutoCloseable {

	/** No replicas awaited: the store writes through Spring Data Redis as usual. */
	public static final ReplicatedWrites NONE = new ReplicatedWrites(() -> null, 0, Duration.ZERO, StoreTimer.NONE);

	private static final Log logger = LogFactory.getLog(ReplicatedWrites.class);

	private final MasterConnections masters;

	private final int replicas;

	private final Duration waitTimeout;

	private final StoreTimer timer;

	/**
	 * @param client the Lettuce client Spring Boot made ({@link RedisClient} for
	 * standalone and Sentinel, {@link RedisClusterClient} for a Cluster), asked for when
	 * the first connection is made
	 * @param replicas how many replicas must acknowledge each write
	 * @param waitTimeout the longest {@code WAIT}
	 * @param timer times each {@code WAIT} as operation {@code wait}
	 */
	public ReplicatedWrites(Supplier<AbstractRedisClient> client, int replicas, Duration waitTimeout,
			StoreTimer timer) {
		this.masters = new MasterConnections(client);
		this.replicas = replicas;
		this.waitTimeout = waitTimeout;
		this.timer = timer;
	}

	/**
	 * Starts connecting in the background (discovering a Cluster's nodes can take a few
	 * seconds), so that the first write need not wait for it. Writes connect by
	 * themselves if this was not called or failed.
	 */
	public ReplicatedWrites start() {
		if (enabled()) {
			this.masters.start();
		}
		return this;
	}

	/** Whether writes wait for replicas at all. */
	public boolean enabled() {
		return this.replicas > 0;
	}

	/**
	 * Runs {@code script} on the master of {@code keys}' slot and, when its reply's first
	 * element is one of {@code writes} (it changed something), waits for the replicas on
	 * the same connection. Completes with the script's reply as a list of strings.
	 */
	public Mono<List<String>> script(@SuppressWarnings("rawtypes") RedisScript<List> script, List<String> keys,
			List<String> args, Set<String> writes) {
		String[] keyArray = keys.toArray(String[]::new);
		String[] argArray = args.toArray(String[]::new);
		return onMaster(keys.get(0),
				(commands) -> commands.<Object>evalsha(script.getSha1(), ScriptOutputType.MULTI, keyArray, argArray)
					.onErrorResume(RedisNoScriptException.class,
							(ex) -> commands.<Object>eval(script.getScriptAsString(), ScriptOutputType.MULTI, keyArray,
									argArray))
					.collect(ArrayList<String>::new, ReplicatedWrites::addAll)
					.<List<String>>map(Collections::unmodifiableList)
					.flatMap((reply) -> writes.contains(reply.get(0)) ? awaitReplicas(commands).thenReturn(reply)
							: Mono.just(reply)));
	}

	/**
	 * Runs {@code write} on the master of {@code key}'s slot, then waits for the replicas
	 * on the same connection.
	 */
	public <T> Mono<T> write(String key, Function<RedisReactiveCommands<String, String>, Mono<T>> write) {
		return onMaster(key,
				(commands) -> write.apply(commands).flatMap((value) -> awaitReplicas(commands).thenReturn(value)));
	}

	private <T> Mono<T> onMaster(String key, Function<RedisReactiveCommands<String, String>, Mono<T>> work) {
		return this.masters.forKey(key)
			.flatMap((connection) -> work.apply(connection.reactive()))
			// Lettuce fails a command in flight with the channel's own IOException when
			// the connection breaks (a
			// master killed): a store failure like any other, which Spring Data Redis
			// would have translated
			.onErrorMap(IOException.class, (ex) -> new RedisConnectionException("Redis connection lost", ex))
			.doOnError((ex) -> !(ex instanceof NotAcknowledgedException), (ex) -> this.masters.refreshTopology());
	}

	private Mono<Void> awaitReplicas(RedisReactiveCommands<String, String> commands) {
		return this.timer.time("wait",
				commands.waitForReplication(this.replicas, this.waitTimeout.toMillis()).flatMap((acknowledged) -> {
					if (acknowledged >= this.replicas) {
						return Mono.empty();
					}
					logger.warn("Only " + acknowledged + " of " + this.replicas + " Redis replicas acknowledged a "
							+ "session write within " + this.waitTimeout.toMillis()
							+ " ms (tollgate.redis.wait-replicas); " + "answering 503");
					return Mono.error(new NotAcknowledgedException(acknowledged, this.replicas));
				}));
	}

	private static void addAll(List<String> result, Object reply) {
		if (reply instanceof List<?> list) {
			list.forEach((element) -> result.add((String) element));
		}
		else {
			result.add((String) reply);
		}
	}

	/** Closes the connections this class opened (never Spring Boot's). */
	@Override
	public void close() {
		this.masters.close();
	}

	/**
	 * Fewer replicas acknowledged a write than {@code tollgate.redis.wait-replicas} asks,
	 * within the wait: the store is unavailable for this write (a timeout, as far as
	 * metrics and the client are concerned).
	 */
	public static final class NotAcknowledgedException extends TimeoutException {

		private static final long serialVersionUID = 1L;

		NotAcknowledgedException(long acknowledged, int required) {
			super(acknowledged + " of " + required + " replicas acknowledged the write");
		}

	}

}
