package dev.tollgate.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.BiFunction;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;

/**
 * A real {@code redis-server} process on a free loopback port (never 6379, where a shared
 * Redis may run), with no persistence, for tests. Uses the {@code redis-server} on the
 * {@code PATH}, else the binary shipped in {@code com.github.codemonstur:embedded-redis}
 * ({@link RedisBinaries}). It can be stopped and started again on the same port (outage
 * tests) and spoken to directly with {@link #command} (no client library involved:
 * {@link RespCommands}).
 */
public final class TestRedis implements AutoCloseable {

	private static final String LOOPBACK = "127.0.0.1";

	private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

	private static final int START_ATTEMPTS = 3;

	private final Path dir;

	private final int port;

	private final List<String> extraArguments;

	/** Arguments before {@code --port}: a configuration file must come first. */
	private final List<String> leadingArguments;

	private Process process;

	private TestRedis(Path dir, int port, List<String> extraArguments) {
		this(dir, port, List.of(), extraArguments);
	}

	private TestRedis(Path dir, int port, List<String> leadingArguments, List<String> extraArguments) {
		this.dir = dir;
		this.port = port;
		this.leadingArguments = leadingArguments;
		this.extraArguments = extraArguments;
	}

	/** Starts a standalone server. */
	public static TestRedis start() {
		return start(false);
	}

	/**
	 * Starts a server with {@code cluster-enabled yes} (its cluster bus port free as
	 * well), not yet part of any cluster.
	 */
	public static TestRedis startClusterNode() {
		return start(true);
	}

	/**
	 * Starts a standalone server replicating {@code master} ({@code replicaof}) and waits
	 * until its link to the master is up and the master's {@code WAIT} counts its
	 * acknowledgements.
	 */
	public static TestRedis startReplicaOf(TestRedis master) {
		TestRedis replica = start(false, List.of("--replicaof", LOOPBACK, Integer.toString(master.port())));
		replica.awaitMasterLink();
		// the replica reports its link up, and the master lists it online, up to about
		// half a second before a WAIT on
		// the master counts its acknowledgement: until then every write that waits for it
		// would time out
		Awaitility.await("master on port " + master.port() + " getting acknowledgements from port " + replica.port())
			.atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> master.acknowledgedByAReplica());
		return replica;
	}

	/**
	 * Starts a Redis Sentinel ({@code redis-server sentinel.conf --sentinel}) whose
	 * configuration file, in its own directory (Sentinel rewrites it), holds
	 * {@code configuration}.
	 */
	public static TestRedis startSentinel(String configuration) {
		return startOnAFreePort(false, (port, dir) -> {
			Path config = dir.resolve("sentinel.conf");
			try {
				Files.writeString(config, configuration);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			return new TestRedis(dir, port, List.of(config.toString(), "--sentinel"), List.of());
		});
	}

	private static TestRedis start(boolean clusterNode) {
		return start(clusterNode, List.of());
	}

	private static TestRedis start(boolean clusterNode, List<String> arguments) {
		return startOnAFreePort(clusterNode, (port, dir) -> {
			List<String> extra = new ArrayList<>(arguments);
			if (clusterNode) {
				extra.addAll(List.of("--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
						"--cluster-node-timeout", "2000"));
			}
			return new TestRedis(dir, port, List.copyOf(extra));
		});
	}

	/**
	 * Starts the server {@code create} makes for a free port and a new directory; a port
	 * seen free may be taken before redis-server binds it, so up to
	 * {@value #START_ATTEMPTS} ports are tried.
	 */
	private static TestRedis startOnAFreePort(boolean withClusterBus, BiFunction<Integer, Path, TestRedis> create) {
		IllegalStateException failure = null;
		for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
			TestRedis redis = create.apply(RedisPorts.free(withClusterBus), createTempDir());
			try {
				redis.restart();
				return redis;
			}
			catch (IllegalStateException ex) {
				redis.close();
				failure = ex;
			}
		}
		throw failure;
	}

	/** The port the server listens on, at {@code 127.0.0.1}. */
	public int port() {
		return this.port;
	}

	/** {@code 127.0.0.1:<port>}. */
	public String address() {
		return LOOPBACK + ":" + this.port;
	}

	/** Whether the server process is running. */
	public boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * A started connection to this server with the given command timeout; the caller
	 * closes it.
	 */
	public TestRedisConnection connect(Duration commandTimeout) {
		return TestRedisConnection.open(new RedisStandaloneConfiguration(LOOPBACK, this.port), commandTimeout);
	}

	/** Stops the server (an outage); its data is gone. */
	public void stop() {
		if (this.process == null) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * Kills the server with SIGKILL (a crash: no shutdown, no last replication, no
	 * goodbye to clients or to the cluster); its data is gone.
	 */
	public void kill() {
		if (this.process == null) {
			return;
		}
		this.process.destroyForcibly();
		try {
			this.process.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.process = null;
	}

	/**
	 * Whether a write on this master is acknowledged by at least one replica within 200
	 * ms ({@code WAIT}).
	 */
	private boolean acknowledgedByAReplica() {
		String probe = "tollgate-test:replica-probe";
		List<String> replies = RespCommands.send(this.port, List.of(new String[] { "SET", probe, "1" },
				new String[] { "WAIT", "1", "200" }, new String[] { "DEL", probe }));
		return !"0".equals(replies.get(1));
	}

	/**
	 * Waits until this replica's link to its master is up
	 * ({@code master_link_status:up}).
	 */
	public void awaitMasterLink() {
		Awaitility.await("replica on port " + this.port + " linked to its master")
			.atMost(START_TIMEOUT)
			.pollInterval(Duration.ofMillis(50))
			.until(() -> command("INFO", "replication").contains("master_link_status:up"));
	}

	/** Starts the server again on the same port, empty, and waits until it answers. */
	public void restart() {
		stop();
		List<String> command = new ArrayList<>(List.of(RedisBinaries.path().toString()));
		command.addAll(this.leadingArguments);
		command.addAll(List.of("--port", Integer.toString(this.port), "--bind", LOOPBACK, "--save", "", "--appendonly",
				"no", "--dir", this.dir.toString()));
		if (this.leadingArguments.isEmpty()) {
			// a data node (a Sentinel serves no data commands)
			command.addAll(RedisBinaries.debugCommandArguments());
		}
		command.addAll(this.extraArguments);
		try {
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("redis.log").toFile()))
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + command, ex);
		}
		awaitReady();
	}

	/** Deletes every key. */
	public void flushAll() {
		command("FLUSHALL");
	}

	/**
	 * Sends one command and returns its reply: a status, bulk string or integer as text,
	 * an array as its elements joined by line breaks, a nil as {@code null}.
	 * @throws IllegalStateException on an error reply
	 */
	public String command(String... arguments) {
		return RespCommands.send(this.port, Collections.singletonList(arguments)).get(0);
	}

	/** Stops the server and deletes its directory. */
	@Override
	public void close() {
		stop();
		try (Stream<Path> files = Files.walk(this.dir)) {
			files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady() {
		try {
			Awaitility.await("redis-server on port " + this.port)
				.atMost(START_TIMEOUT)
				.pollInterval(Duration.ofMillis(50))
				.until(this::answersPing);
		}
		catch (ConditionTimeoutException ex) {
			stop();
			throw new IllegalStateException(
					"redis-server did not answer on port " + this.port + " within " + START_TIMEOUT + ":\n" + log(),
					ex);
		}
	}

	private boolean answersPing() {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("redis-server exited on port " + this.port + ":\n" + log());
		}
		try {
			return "PONG".equals(command("PING"));
		}
		catch (UncheckedIOException | IllegalStateException ex) {
			// not listening yet (or still loading)
			return false;
		}
	}

	private String log() {
		try {
			return Files.readString(this.dir.resolve("redis.log"));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	private static Path createTempDir() {
		try {
			return Files.createTempDirectory("tollgate-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
