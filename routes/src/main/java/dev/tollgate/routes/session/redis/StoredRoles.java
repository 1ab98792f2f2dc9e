package dev.tollgate.routes.session.redis;

import java.util.List;

/** A session's roles as the store keeps them: one per line, the empty string for none. */
final class StoredRoles {

	private static final String SEPARATOR = "\n";

	private StoredRoles() {
	}

	static String encode(List<String> roles) {
		return String.join(SEPARATOR, roles);
	}

	/**
	 * The roles of a stored value ({@code null}, as from a script that found none: no
	 * roles).
	 */
	static List<String> decode(String stored) {
		return (stored == null || stored.isEmpty()) ? List.of() : List.of(stored.split(SEPARATOR, -1));
	}

}
