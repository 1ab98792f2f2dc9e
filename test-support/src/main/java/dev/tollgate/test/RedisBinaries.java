package dev.tollgate.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import redis.embedded.core.ExecutableProvider;

/**
 * Where the Redis binaries the tests run come from, and what the server binary needs to
 * be told: {@code redis-server} from the {@code PATH}, else the one embedded-redis ships
 * for this platform.
 */
final class RedisBinaries {

	private static final Duration VERSION_TIMEOUT = Duration.ofSeconds(10);

	private static Path executable;

	private static List<String> debugCommandArguments;

	private RedisBinaries() {
	}

	/**
	 * The {@code redis-server} binary: the one on the {@code PATH}, else the one
	 * embedded-redis ships for this platform.
	 */
	static synchronized Path path() {
		if (executable == null) {
			executable = findOnPath("redis-server");
			if (executable == null) {
				try {
					executable = ExecutableProvider.newJarResourceProvider().get().toPath();
				}
				catch (IOException ex) {
					throw new IllegalStateException("No redis-server on the PATH and embedded-redis ships none for "
							+ System.getProperty("os.name") + "/" + System.getProperty("os.arch")
							+ ": install redis-server (e.g. apt-get install redis-server)", ex);
				}
			}
		}
		return executable;
	}

	/**
	 * Stall tests send {@code DEBUG SLEEP}, which Redis 7 refuses unless
	 * {@code enable-debug-command} allows it; Redis 6.2 (the embedded fallback) allows it
	 * and knows no such option, so it is passed from version 7 on only.
	 */
	static synchronized List<String> debugCommandArguments() {
		if (debugCommandArguments == null) {
			debugCommandArguments = (majorVersion() >= 7) ? List.of("--enable-debug-command", "local") : List.of();
		}
		return debugCommandArguments;
	}

	/**
	 * The major version {@code redis-server --version} reports
	 * ({@code Redis server v=7.0.15 ...}).
	 */
	private static int majorVersion() {
		String command = path() + " --version";
		try {
			Process process = new ProcessBuilder(path().toString(), "--version").redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(VERSION_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			Matcher version = Pattern.compile("v=(\\d+)\\.").matcher(output);
			if (!version.find()) {
				throw new IllegalStateException("No version in the output of " + command + ": " + output);
			}
			return Integer.parseInt(version.group(1));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not run " + command, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
	}

	/** The executable {@code name} on the {@code PATH}, or {@code null}. */
	static Path findOnPath(String name) {
		String path = System.getenv("PATH");
		if (path == null) {
			return null;
		}
		for (String entry : path.split(File.pathSeparator)) {
			Path candidate = Path.of(entry, name);
			if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		return null;
	}

}
