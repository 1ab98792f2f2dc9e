package dev.tollgate.token.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link TokenProperties} bound the way Spring Boot binds them, from a few {@code tollgate.*} values, every
 * other key at its default: tests name only what they care about.
 */
public final class TestTokenProperties {

	private TestTokenProperties() {
	}

	/** Binds {@code keysAndValues} (key, value, key, value...) under the defaults. */
	public static TokenProperties bind(String... keysAndValues) {
		Map<String, String> values = new LinkedHashMap<>();
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			values.put(keysAndValues[i], keysAndValues[i + 1]);
		}
		return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("tollgate", TokenProperties.class);
	}

}
