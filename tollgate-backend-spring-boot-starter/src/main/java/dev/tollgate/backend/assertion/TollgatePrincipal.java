package dev.tollgate.backend.assertion;

import java.io.Serializable;
import java.util.List;

import org.springframework.security.core.AuthenticatedPrincipal;

/**
 * The user a verified assertion names, as a controller sees it through
 * {@code @AuthenticationPrincipal}. Not a {@link java.security.Principal}: WebFlux hands
 * a parameter of such a type the {@code Authentication} itself, whatever its annotation,
 * so {@code @AuthenticationPrincipal TollgatePrincipal user} would fail there.
 *
 * @param id the user's id, the assertion's {@code sub}; also {@link #getName()} and the
 * {@code Authentication}'s name
 * @param roles the user's roles, the assertion's {@code roles}, without the {@code ROLE_}
 * prefix of their authorities
 * @param sessionId the login session the gateway's access token belonged to
 * ({@code sid}), or {@code null}
 */
public record TollgatePrincipal(String id, List<String> roles,
		String sessionId) implements AuthenticatedPrincipal, Serializable {

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
