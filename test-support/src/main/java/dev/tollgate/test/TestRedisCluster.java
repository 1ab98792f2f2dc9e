package dev.tollgate.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;

import org.springframework.data.redis.connection.RedisClusterConfiguration;

/**
 * A Redis Cluster of real {@code redis-server} processes on free loopback ports, no
 * persistence, for tests: masters, optionally each with replicas (a node timeout of 2 s,
 * so a killed master's replica is promoted within a few seconds). Created with
 * {@code redis-cli --cluster create} when {@code redis-cli} is on the {@code PATH}, else
 * with {@code CLUSTER ADDSLOTS} / {@code CLUSTER MEET} / {@code CLUSTER REPLICATE}
 * (embedded-redis ships no {@code redis-cli}).
 */
public final class TestRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private final List<TestRedis> nodes;

	private final int masters;

	private TestRedisCluster(List<TestRedis> nodes, int masters) {
		this.nodes = nodes;
		this.masters = masters;
	}

	/**
	 * Starts {@code masters} nodes, joins them into one cluster and waits until it serves
	 * every slot.
	 */
	public static TestRedisCluster start(int masters) {
		return start(masters, 0);
	}

	/**
	 * Starts {@code masters} masters and {@code replicasPerMaster} replicas of each,
	 * joins them into one cluster and waits until it serves every slot and every
	 * replica's link to its master is up. The first {@code masters} {@link #nodes()} are
	 * the masters; then come the replicas.
	 */
	public static TestRedisCluster start(int masters, int replicasPerMaster) {
		List<TestRedis> nodes = new ArrayList<>();
		TestRedisCluster cluster = new TestRedisCluster(nodes, masters);
		try {
			for (int i = 0; i < masters * (1 + replicasPerMaster); i++) {
				nodes.add(TestRedis.startClusterNode());
			}
			Path redisCli = RedisBinaries.findOnPath("redis-cli");
			if (redisCli != null) {
				cluster.createWithRedisCli(redisCli);
			}
			else {
				cluster.createWithCommands();
			}
			cluster.awaitFormed();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	/** The nodes, in start order: the masters first, then the replicas. */
	public List<TestRedis> nodes() {
		return List.copyOf(this.nodes);
	}

	/**
	 * Every node's {@code host:port}, comma-separated: the value of
	 * {@code spring.data.redis.cluster.nodes}.
	 */
	public String addresses() {
		return String.join(",", this.nodes.stream().map(TestRedis::address).toList());
	}

	/**
	 * The node that serves {@code key}'s slot now (asked of a running node with
	 * {@code CLUSTER SLOTS}).
	 */
	public TestRedis masterOf(String key) {
		TestRedis running = this.nodes.stream().filter(TestRedis::isRunning).findFirst().orElseThrow();
		int slot = Integer.parseInt(running.command("CLUSTER", "KEYSLOT", key));
		for (TestRedis node : this.nodes) {
			if (node.isRunning() && node.command("ROLE").startsWith("master")) {
				for (String line : node.command("CLUSTER", "NODES").split("\n")) {
					if (line.contains("myself") && ownsSlot(line, slot)) {
						return node;
					}
				}
			}
		}
		throw new IllegalStateException("No running master serves slot " + slot);
	}

	/**
	 * A started connection to the cluster with the given command timeout; the caller
	 * closes it.
	 */
	public TestRedisConnection connect(Duration commandTimeout) {
		return TestRedisConnection
			.open(new RedisClusterConfiguration(this.nodes.stream().map(TestRedis::address).toList()), commandTimeout);
	}

	/** Stops every node and deletes their directories. */
	@Override
	public void close() {
		this.nodes.forEach(TestRedis::close);
	}

	private void createWithRedisCli(Path redisCli) {
		List<String> command = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
		this.nodes.forEach((node) -> command.add(node.address()));
		int replicasPerMaster = this.nodes.size() / this.masters - 1;
		command.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerMaster), "--cluster-yes"));
		Path output = null;
		try {
			output = Files.createTempFile("tollgate-redis-cli-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			process.getOutputStream().close();
			if (!process.waitFor(FORM_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("redis-cli --cluster create did not finish within " + FORM_TIMEOUT);
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("redis-cli --cluster create failed:\n" + Files.readString(output));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
		finally {
			if (output != null) {
				output.toFile().delete();
			}
		}
	}

	private void createWithCommands() {
		int count = this.masters;
		for (int i = 0; i < count; i++) {
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.range(SLOTS * i / count, SLOTS * (i + 1) / count)
				.forEach((slot) -> command.add(Integer.toString(slot)));
			this.nodes.get(i).command(command.toArray(String[]::new));
		}
		TestRedis first = this.nodes.get(0);
		this.nodes.subList(1, this.nodes.size())
			.forEach((node) -> first.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port())));
		for (int i = count; i < this.nodes.size(); i++) {
			TestRedis replica = this.nodes.get(i);
			String masterId = this.nodes.get((i - count) / ((this.nodes.size() - count) / count))
				.command("CLUSTER", "MYID");
			Awaitility.await("replica knows its master")
				.atMost(FORM_TIMEOUT)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> replica.command("CLUSTER", "NODES").contains(masterId));
			replica.command("CLUSTER", "REPLICATE", masterId);
		}
	}

	private static boolean ownsSlot(String nodesLine, int slot) {
		String[] fields = nodesLine.split(" ");
		for (int i = 8; i < fields.length; i++) {
			if (fields[i].startsWith("[")) {
				continue;
			}
			String[] range = fields[i].split("-");
			int from = Integer.parseInt(range[0]);
			int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
			if (slot >= from && slot <= to) {
				return true;
			}
		}
		return false;
	}

	private void awaitFormed() {
		String known = "cluster_known_nodes:" + this.nodes.size();
		Awaitility.await("Redis Cluster state ok")
			.atMost(FORM_TIMEOUT)
			.pollInterval(Duration.ofMillis(100))
			.until(() -> this.nodes.stream().allMatch((node) -> {
				String info = node.command("CLUSTER", "INFO");
				return info.contains("cluster_state:ok") && info.contains(known);
			}));
		this.nodes.subList(this.masters, this.nodes.size()).forEach(TestRedis::awaitMasterLink);
	}

}
