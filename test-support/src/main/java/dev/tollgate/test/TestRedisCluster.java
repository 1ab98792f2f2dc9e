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
 * A Redis Cluster of real {@code redis-server} masters on free loopback ports, no replicas, no persistence, for
 * tests. Created with {@code redis-cli --cluster create} when {@code redis-cli} is on the {@code PATH}, else with
 * {@code CLUSTER ADDSLOTS} / {@code CLUSTER MEET} (embedded-redis ships no {@code redis-cli}).
 */
public final class TestRedisCluster implements AutoCloseable {

	private static final int SLOTS = 16384;

	private static final Duration FORM_TIMEOUT = Duration.ofSeconds(30);

	private final List<TestRedis> nodes;

	private TestRedisCluster(List<TestRedis> nodes) {
		this.nodes = nodes;
	}

	/** Starts {@code masters} nodes, joins them into one cluster and waits until it serves every slot. */
	public static TestRedisCluster start(int masters) {
		List<TestRedis> nodes = new ArrayList<>();
		TestRedisCluster cluster = new TestRedisCluster(nodes);
		try {
			for (int i = 0; i < masters; i++) {
				nodes.add(TestRedis.startClusterNode());
			}
			Path redisCli = TestRedis.findOnPath("redis-cli");
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

	/** The nodes, in start order. */
	public List<TestRedis> nodes() {
		return List.copyOf(this.nodes);
	}

	/** A started connection to the cluster with the given command timeout; the caller closes it. */
	public TestRedisConnection connect(Duration commandTimeout) {
		return TestRedisConnection.open(new RedisClusterConfiguration(this.nodes.stream().map(TestRedis::address).toList()),
				commandTimeout);
	}
	/** Stops every node and deletes their directories. */
	@Override
	public void close() {
		this.nodes.forEach(TestRedis::close);
	}

	private void createWithRedisCli(Path redisCli) {
		List<String> command = new ArrayList<>(List.of(redisCli.toString(), "--cluster", "create"));
		this.nodes.forEach((node) -> command.add(node.address()));
		command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
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
		int count = this.nodes.size();
		for (int i = 0; i < count; i++) {
			List<String> command = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
			IntStream.range(SLOTS * i / count, SLOTS * (i + 1) / count)
				.forEach((slot) -> command.add(Integer.toString(slot)));
			this.nodes.get(i).command(command.toArray(String[]::new));
		}
		TestRedis first = this.nodes.get(0);
		this.nodes.subList(1, count)
			.forEach((node) -> first.command("CLUSTER", "MEET", "127.0.0.1", Integer.toString(node.port())));
	}

	private void awaitFormed() {
		String known = "cluster_known_nodes:" + this.nodes.size();
		Awaitility.await("Redis Cluster state ok").atMost(FORM_TIMEOUT).pollInterval(Duration.ofMillis(100)).until(
				() -> this.nodes.stream().allMatch((node) -> {
					String info = node.command("CLUSTER", "INFO");
					return info.contains("cluster_state:ok") && info.contains(known);
				}));
	}
}
