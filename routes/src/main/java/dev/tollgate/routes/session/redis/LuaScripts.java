package dev.tollgate.routes.session.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Lua scripts whose text and SHA-1 are fixed when they are made, so that running one
 * never waits on the request thread. Spring Data Redis's {@code RedisScript.of(...)}
 * reads a resource script's file on first use and checks it for changes on every use, and
 * takes a lock on every use to compute or return its SHA-1: on whatever thread runs the
 * command, an event loop, which must neither block on file I/O nor park on a contended
 * lock.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/** The script {@code META-INF/scripts/<name>}, read now, replying with a list. */
	@SuppressWarnings("rawtypes")
	public static RedisScript<List> load(String name) {
		ClassPathResource resource = new ClassPathResource("META-INF/scripts/" + name);
		try (InputStream in = resource.getInputStream()) {
			return of(new String(in.readAllBytes(), StandardCharsets.UTF_8), List.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Lua script " + resource.getPath(), ex);
		}
	}

	/**
	 * An immutable script of the given text and result type ({@code null}: no result).
	 */
	public static <T> RedisScript<T> of(String text, Class<T> resultType) {
		return new FixedScript<>(text, sha1(text), resultType);
	}

	private static String sha1(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is required of every Java platform", ex);
		}
	}

	private record FixedScript<T>(String text, String sha1, Class<T> resultType) implements RedisScript<T> {

		@Override
		public String getSha1() {
			return this.sha1;
		}

		@Override
		public Class<T> getResultType() {
			return this.resultType;
		}

		@Override
		public String getScriptAsString() {
			return this.text;
		}

	}

}
