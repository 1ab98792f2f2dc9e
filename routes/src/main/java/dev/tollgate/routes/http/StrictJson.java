package dev.tollgate.routes.http;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON reader for bodies that carry credentials or identities (the refresh body, the
 * user service's login answer): duplicate members are refused, so that two parsers can
 * never read two different values.
 */
public final class StrictJson {

	/** Thread-safe, built once. */
	public static final JsonMapper MAPPER = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private StrictJson() {
	}

}
