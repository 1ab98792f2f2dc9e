package dev.tollgate.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;

/**
 * A Redis master with replicas watched by three Redis Sentinels (quorum 2), real
 * {@code redis-server} processes on free loopback ports, no persistence, for fail-over
 * tests. Sentinels consider a master down after 1 s of silence
 * ({@code down-after-milliseconds 1000}) and give a fail-over 5 s
 * ({@code failover-timeout 5000}), so a killed master is replaced within a few seconds;
 * the other replicas are then re-pointed to the new master by the Sentinels.
 */
public final class TestRedisSentinel implements AutoCloseable {

	/**
	 * The name the Sentinels know the master by
	 * ({@code spring.data.redis.sentinel.master}).
	 */
	public static final String MASTER_NAME = "mymaster";

	private static final int SENTINELS = 3;

	private static final Duration AGREE_TIMEOUT = Duration.ofSeconds(30);

	private final List<TestRedis> servers = new ArrayList<>();

	private final List<TestRedis> sentinels = new ArrayList<>();

	private TestRedisSentinel() {
	}

	/**
	 * Starts a master, {@code replicas} replicas of it and three Sentinels monitoring it,
	 * and waits until every Sentinel knows the master, its replicas and the two other
	 * Sentinels.
	 */
	public static TestRedisSentinel start(int replicas) {
		TestRedisSentinel setup = new TestRedisSentinel();
		try {
			TestRedis master = TestRedis.start();
			setup.servers.add(master);
			for (int i = 0; i < replicas; i++) {
				setup.servers.add(TestRedis.startReplicaOf(master));
			}
			String configuration = String.join("\n",
					"sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
					"sentinel down-after-milliseconds " + MASTER_NAME + " 1000",
					"sentinel failover-timeout " + MASTER_NAME + " 5000",
					"sentinel parallel-syncs " + MASTER_NAME + " 1", "");
			for (int i = 0; i < SENTINELS; i++) {
				setup.sentinels.add(TestRedis.startSentinel(configuration));
			}
			setup.awaitAgreement(replicas);
			return setup;
		}
		catch (RuntimeException ex) {
			setup.close();
			throw ex;
		}
	}

	/**
	 * The Sentinels' addresses, comma-separated
	 * ({@code spring.data.redis.sentinel.nodes}).
	 */
	public String sentinelNodes() {
		return this.sentinels.stream().map(TestRedis::address).collect(Collectors.joining(","));
	}

	/**
	 * The servers (not the Sentinels), in start order: the first master, then its
	 * replicas.
	 */
	public List<TestRedis> servers() {
		return List.copyOf(this.servers);
	}

	/** The server the first Sentinel names as master now. */
	public TestRedis master() {
		String[] address = this.sentinels.get(0)
			.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
			.split("\n");
		int port = Integer.parseInt(address[1]);
		return this.servers.stream().filter((server) -> server.port() == port).findFirst().orElseThrow();
	}

	/**
	 * Waits until every Sentinel names a running master other than {@code old}, that
	 * master says it is one, and {@code replicas} replicas are linked to it.
	 */
	public TestRedis awaitFailover(TestRedis old, int replicas, Duration timeout) {
		Awaitility.await("Sentinels fail over from port " + old.port())
			.atMost(timeout)
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptions()
			.until(() -> {
				TestRedis master = master();
				return master != old && master.isRunning() && agreeOn(master)
						&& master.command("ROLE").startsWith("master")
						&& master.command("INFO", "replication").contains("connected_slaves:" + replicas);
			});
		return master();
	}

	/**
	 * Starts a new replica of the current master (after a fail-over left it none, say),
	 * which the Sentinels discover by themselves, and waits until the master counts its
	 * acknowledgements ({@code WAIT}).
	 */
	public TestRedis startReplicaOfMaster() {
		TestRedis replica = TestRedis.startReplicaOf(master());
		this.servers.add(replica);
		return replica;
	}

	/** Stops every Sentinel and server and deletes their directories. */
	@Override
	public void close() {
		this.sentinels.forEach(TestRedis::close);
		this.servers.forEach(TestRedis::close);
	}

	private boolean agreeOn(TestRedis master) {
		String port = Integer.toString(master.port());
		return this.sentinels.stream()
			.allMatch((sentinel) -> sentinel.command("SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME)
				.endsWith("\n" + port));
	}

	private void awaitAgreement(int replicas) {
		TestRedis master = this.servers.get(0);
		Awaitility.await("Sentinels agree on the master, its replicas and each other")
			.atMost(AGREE_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> agreeOn(master) && this.sentinels.stream().allMatch((sentinel) -> {
				String replicasSeen = sentinel.command("SENTINEL", "REPLICAS", MASTER_NAME);
				String sentinelsSeen = sentinel.command("SENTINEL", "SENTINELS", MASTER_NAME);
				return count(replicasSeen, "name") == replicas && count(sentinelsSeen, "name") == SENTINELS - 1;
			}));
	}

	/**
	 * How many of the lines of a flattened reply are exactly {@code field}: one per
	 * entry.
	 */
	private static long count(String reply, String field) {
		return reply == null ? 0 : reply.lines().filter(field::equals).count();
	}

}
