package dev.tollgate.routes.session.redis;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * {@link ReplicatedWrites}' own connections to the masters, of the Lettuce client Spring
 * Boot made: for standalone and Sentinel one connection of its {@link RedisClient}
 * (Lettuce reconnects it to the new master after a fail-over), for a Cluster the cluster
 * connection's own connection to the master that owns a key's slot, by the partition
 * table Lettuce keeps. Connecting blocks, so it runs off the event loop, once, and is not
 * given up when a caller stops waiting for it; after a failed attempt the next caller
 * tries again. Closing closes these connections only, never Spring Boot's.
 */
final class MasterConnections implements AutoCloseable {

	private final Supplier<AbstractRedisClient> client;

	private final Object lock = new Object();

	private final AtomicBoolean refreshing = new AtomicBoolean();

	private CompletableFuture<Connections> connecting;

	private boolean closed;

	/**
	 * @param client the Lettuce client, asked for when the first connection is made
	 */
	MasterConnections(Supplier<AbstractRedisClient> client) {
		this.client = client;
	}

	/**
	 * Starts connecting, in the background, unless a connection is made or being made.
	 */
	void start() {
		connection();
	}

	/** The connection to the master that owns {@code key}'s slot. */
	Mono<StatefulRedisConnection<String, String>> forKey(String key) {
		return Mono.fromFuture(this::connection, true).flatMap((connections) -> connections.forKey(key));
	}

	/**
	 * After a failed write on a Cluster the partition table may be stale (a fail-over,
	 * {@code MOVED}): has Lettuce reload it, one reload at a time however many writes
	 * fail.
	 */
	void refreshTopology() {
		if (this.client.get() instanceof RedisClusterClient cluster && this.refreshing.compareAndSet(false, true)) {
			cluster.refreshPartitionsAsync().whenComplete((ignored, ex) -> this.refreshing.set(false));
		}
	}

	private CompletableFuture<Connections> connection() {
		synchronized (this.lock) {
			if (this.closed) {
				return CompletableFuture.failedFuture(new RedisException("Closed"));
			}
			if (this.connecting == null || this.connecting.isCompletedExceptionally()) {
				this.connecting = CompletableFuture.supplyAsync(this::connect,
						(task) -> Schedulers.boundedElastic().schedule(task));
			}
			return this.connecting;
		}
	}

	private Connections connect() {
		AbstractRedisClient redis = this.client.get();
		if (redis instanceof RedisClusterClient cluster) {
			return new ClusterConnections(cluster.connect(StringCodec.UTF8));
		}
		return new SingleConnection(((RedisClient) redis).connect(StringCodec.UTF8));
	}

	@Override
	public void close() {
		CompletableFuture<Connections> open;
		synchronized (this.lock) {
			this.closed = true;
			open = this.connecting;
		}
		if (open != null) {
			open.thenAccept(Connections::close);
		}
	}

	private interface Connections extends AutoCloseable {

		Mono<StatefulRedisConnection<String, String>> forKey(String key);

		@Override
		void close();

	}

	/** Standalone or Sentinel: one master, one connection. */
	private record SingleConnection(StatefulRedisConnection<String, String> connection) implements Connections {

		@Override
		public Mono<StatefulRedisConnection<String, String>> forKey(String key) {
			return Mono.just(this.connection);
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

	/**
	 * Cluster: the cluster connection's own connection to the master owning the key's
	 * slot.
	 */
	private record ClusterConnections(StatefulRedisClusterConnection<String, String> cluster) implements Connections {

		@Override
		public Mono<StatefulRedisConnection<String, String>> forKey(String key) {
			return Mono.defer(() -> {
				RedisClusterNode master = this.cluster.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
				if (master == null) {
					return Mono.error(new RedisException("No master known for slot " + SlotHash.getSlot(key)));
				}
				return Mono.fromFuture(this.cluster.getConnectionAsync(master.getNodeId()));
			});
		}

		@Override
		public void close() {
			this.cluster.close();
		}

	}

}
