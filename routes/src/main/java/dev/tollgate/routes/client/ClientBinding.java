package dev.tollgate.routes.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the gateway knows of a client at a login or a refresh, for the checks of
 * {@code tollgate.refresh-token.binding.checks}: check name to value, in the configured
 * order. Stores keep only a keyed hash of each value (see {@code docs/sessions.md}). A
 * missing header is the empty value.
 *
 * @param values check name ({@code user-agent}, {@code address-prefix},
 * {@code device-header}) to value
 */
public record ClientBinding(Map<String, String> values) {

	/** Nothing checked ({@code binding.policy: off}, or no check configured). */
	public static final ClientBinding NONE = new ClientBinding(Map.of());

	public ClientBinding {
		values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
	}

	/** Check name, value, check name, value... as a store script takes them. */
	public List<String> asArguments() {
		List<String> arguments = new ArrayList<>(this.values.size() * 2);
		this.values.forEach((check, value) -> {
			arguments.add(check);
			arguments.add(value);
		});
		return arguments;
	}

	@Override
	public String toString() {
		// values are personal data (addresses, user agents): never in a log line by
		// accident
		return "ClientBinding" + this.values.keySet();
	}

}
