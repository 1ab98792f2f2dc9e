package dev.tollgate.backend.assertion;

import java.io.Serializable;
import java.security.Principal;
import java.util.List;

/**
 * The user a verified assertion names, as a controller sees it through {@code @AuthenticationPrincipal}.
 *
 * @param id the user's id, the assertion's {@code sub}; also {@link #getName()} and the {@code Authentication}'s name
 * @param roles the user's roles, the assertion's {@code roles}, without the {@code ROLE_} prefix of their authorities
 * @param sessionId the login session the gateway's access token belonged to ({@code sid}), or {@code null}
 */
public record TollgatePrincipal(String id, List<String> roles, String sessionId) implements Principal, Serializable {

	public TollgatePrincipal {
		roles = List.copyOf(roles);
	}

	@Override
	public String getName() {
		return this.id;
	}

	/** Whether the user has {@code role} (exact, without the {@code ROLE_} prefix). */
	public boolean hasRole(String role) {
		return this.roles.contains(role);
	}

}
