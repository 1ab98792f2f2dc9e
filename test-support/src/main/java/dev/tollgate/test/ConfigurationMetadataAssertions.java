package dev.tollgate.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What IDE completion shows of a module's {@code tollgate.*} settings, read from the
 * {@code META-INF/spring-configuration-metadata.json} its build generated: every key has
 * a description written for people (a sentence, no Javadoc markup), a default unless it
 * has none by nature, and value hints where the values are a closed set.
 */
public final class ConfigurationMetadataAssertions {

	private ConfigurationMetadataAssertions() {
	}

	/**
	 * Checks the metadata on the classpath of {@code anchor}'s module.
	 * @param withoutDefault keys that have no default by nature (a secret, a list of
	 * keys)
	 * @param closedSets keys whose values are a closed set and need hints
	 * @return the documented keys
	 */
	public static List<String> assertDocumented(Class<?> anchor, Set<String> withoutDefault, Set<String> closedSets) {
		JsonNode metadata = read(anchor);
		List<String> keys = new ArrayList<>();
		for (JsonNode property : metadata.path("properties")) {
			String name = property.path("name").asString();
			if (!name.startsWith("tollgate.")) {
				continue;
			}
			keys.add(name);
			String description = property.path("description").asString("");
			assertThat(description).as(name + " description").isNotBlank().doesNotContain("{@").matches("[A-Z].*");
			if (!withoutDefault.contains(name) && !name.contains("[")) {
				assertThat(property.has("defaultValue")).as(name + " default").isTrue();
			}
		}
		List<String> hinted = new ArrayList<>();
		for (JsonNode hint : metadata.path("hints")) {
			if (hint.path("values").size() > 0) {
				hinted.add(hint.path("name").asString());
			}
		}
		assertThat(hinted).as("value hints").containsAll(closedSets);
		return keys;
	}

	private static JsonNode read(Class<?> anchor) {
		try (InputStream in = anchor.getProtectionDomain()
			.getCodeSource()
			.getLocation()
			.toURI()
			.resolve("META-INF/spring-configuration-metadata.json")
			.toURL()
			.openStream()) {
			return JsonMapper.shared().readTree(in);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (java.net.URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
