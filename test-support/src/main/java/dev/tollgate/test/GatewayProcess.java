package dev.tollgate.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The repackaged gateway jar ({@code gateway-app-*.jar}) as a process of its own, on
 * loopback, with the arguments a test passes; stopped by {@link #close()}. It is started
 * by {@link #launch} and waited for by {@link #awaitReady}, so that a test starts several
 * at once. Its output goes to {@code target/it-logs/<name>.log}, whose tail a failing
 * start shows.
 * <p>
 * The jar is looked for in the directory named by the {@code gateway.jar.dir} system
 * property, {@code target} when unset (the gateway module's own Failsafe tests, which run
 * after {@code package}).
 */
public final class GatewayProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final Process process;

	private final Path log;

	private final int port;

	private final int managementPort;

	private GatewayProcess(Process process, Path log, int port, int managementPort) {
		this.process = process;
		this.log = log;
		this.port = port;
		this.managementPort = managementPort;
	}

	/**
	 * Starts the gateway jar as {@code name} on a free port without waiting for it: call
	 * {@link #awaitReady()} before using it.
	 */
	public static GatewayProcess launch(String name, List<String> arguments) {
		return launch(name, freePort(), arguments);
	}

	/**
	 * Starts the gateway jar as {@code name} on {@code port} (for a test that must name
	 * the gateway's address before it runs) without waiting for it: call
	 * {@link #awaitReady()} before using it.
	 */
	public static GatewayProcess launch(String name, int port, List<String> arguments) {
		int managementPort = freePort();
		// a short-lived test gateway: the C1 compiler alone and one GC thread start it
		// faster on a busy machine
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
				"-XX:+UseSerialGC", "-jar", jar().toString(), "--server.address=127.0.0.1", "--server.port=" + port,
				"--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
				"--spring.main.banner-mode=off"));
		command.addAll(arguments);
		try {
			Path logs = Files.createDirectories(Path.of("target", "it-logs"));
			Path log = logs.resolve(name + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			// should the test JVM die before close(), no orphan gateway keeps its ports
			Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
			return new GatewayProcess(process, log, port, managementPort);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The port it serves on (loopback). */
	public int port() {
		return this.port;
	}

	/**
	 * Waits until the readiness probe answers 200 (revocations loaded, routes up).
	 * @return this process
	 */
	public GatewayProcess awaitReady() {
		URI ready = URI.create("http://127.0.0.1:" + this.managementPort + "/actuator/health/readiness");
		try {
			Awaitility.await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> isReady(ready));
			return this;
		}
		catch (ConditionTimeoutException ex) {
			close();
			throw new IllegalStateException(
					"the gateway did not answer " + ready + " within " + START_TIMEOUT + ":\n" + tail());
		}
	}

	private boolean isReady(URI ready) {
		if (!this.process.isAlive()) {
			throw new IllegalStateException("the gateway exited at start-up:\n" + tail());
		}
		try {
			HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
			connection.setConnectTimeout(500);
			connection.setReadTimeout(2000);
			return connection.getResponseCode() == 200;
		}
		catch (IOException ex) {
			// not listening yet
			return false;
		}
	}

	/**
	 * The last lines of its output.
	 * @return up to 40 lines
	 */
	public String tail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static Path jar() {
		File dir = new File(System.getProperty("gateway.jar.dir", "target"));
		File[] jars = dir.listFiles((d, name) -> name.startsWith("gateway-app-") && name.endsWith(".jar")
				&& !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar"));
		if (jars == null || jars.length != 1) {
			throw new IllegalStateException("no gateway jar in " + dir.getAbsolutePath()
					+ ": run the Failsafe tests through 'verify' (the gateway module's package phase builds it)");
		}
		return jars[0].toPath();
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
