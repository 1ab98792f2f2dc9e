package dev.tollgate.routes.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts under {@code META-INF/scripts/}, read once when loaded. A script made from a resource
 * ({@code RedisScript.of(Resource, ...)}) reads its file on first use and checks it for changes on every use, on
 * whatever thread runs the command: an event loop, which must not block on file I/O.
 */
public final class LuaScripts {

	private LuaScripts() {
	}

	/** The script {@code META-INF/scripts/<name>}, replying with a list. */
	@SuppressWarnings("rawtypes")
	public static RedisScript<List> load(String name) {
		ClassPathResource resource = new ClassPathResource("META-INF/scripts/" + name);
		try (InputStream in = resource.getInputStream()) {
			return RedisScript.of(new String(in.readAllBytes(), StandardCharsets.UTF_8), List.class);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the Lua script " + resource.getPath(), ex);
		}
	}

}
