package dev.tollgate.token.jwt;

import java.time.Instant;
import java.util.List;

/**
 * The identity an access token proved, after every check passed.
 *
 * @param subject the user id ({@code sub})
 * @param roles the roles ({@code roles}), possibly empty
 * @param sessionId the login session ({@code sid}), or {@code null}
 * @param tokenId the {@code jti}
 * @param expiresAt the {@code exp}
 */
public record VerifiedAccessToken(String subject, List<String> roles, String sessionId, String tokenId,
		Instant expiresAt) {

	public VerifiedAccessToken {
		roles = List.copyOf(roles);
	}

	/** The roles joined by {@code ,}, as the {@code X-User-Roles} header carries them. */
	public String joinedRoles() {
		return String.join(",", this.roles);
	}

	/** Whether the token carries at least one of {@code required}. */
	public boolean hasAnyRole(List<String> required) {
		return required.stream().anyMatch(this.roles::contains);
	}

}
