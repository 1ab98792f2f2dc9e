package dev.tollgate.backendit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real gateway jar ({@code gateway-app/target/gateway-app-*.jar}) as a process of its
 * own on a given port, with the arguments a test passes; stopped by {@link #close()}. Its
 * output goes to a file whose tail a failing start shows.
 */
final class GatewayProcess implements AutoCloseable {

	private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

	private final Process process;

	private final Path log;

	private GatewayProcess(Process process, Path log) {
		this.process = process;
		this.log = log;
	}

	/**
	 * Starts the gateway on {@code port} and waits until {@code readyPath} answers 200.
	 */
	static GatewayProcess start(int port, String readyPath, List<String> arguments) {
		List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx256m", "-jar", jar().toString(),
				"--server.address=127.0.0.1", "--server.port=" + port, "--spring.main.banner-mode=off"));
		command.addAll(arguments);
		try {
			Path log = Files.createTempFile("gateway-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			GatewayProcess gateway = new GatewayProcess(process, log);
			gateway.awaitReady(URI.create("http://127.0.0.1:" + port + readyPath));
			return gateway;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady(URI ready) {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("the gateway exited at start-up:\n" + tail());
			}
			try {
				HttpURLConnection connection = (HttpURLConnection) ready.toURL().openConnection();
				connection.setConnectTimeout(500);
				connection.setReadTimeout(2000);
				if (connection.getResponseCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			sleep(200);
		}
		close();
		throw new IllegalStateException(
				"the gateway did not answer " + ready + " within " + START_TIMEOUT + ":\n" + tail());
	}

	String tail() {
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
		File dir = new File(System.getProperty("gateway.jar.dir", "../gateway-app/target"));
		File[] jars = dir.listFiles((d, name) -> name.startsWith("gateway-app-") && name.endsWith(".jar")
				&& !name.endsWith("-sources.jar") && !name.endsWith("-javadoc.jar"));
		if (jars == null || jars.length != 1) {
			throw new IllegalStateException("no gateway jar in " + dir.getAbsolutePath()
					+ ": build it first (./mvnw -DskipTests package -pl gateway-app -am)");
		}
		return jars[0].toPath();
	}

	private static String javaExecutable() {
		return Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
