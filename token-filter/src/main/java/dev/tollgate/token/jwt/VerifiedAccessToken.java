package dev.tollgate.token.jwt;

import java.time.Instant;
import java.util.List;

/**
 * The identity an access token proved, after every check passed. Immutable; kept in the validated-token cache and
 * shared by every request that presents the same token.
 */
public final class VerifiedAccessToken {

	private final String subject;

	private final List<String> roles;

	private final String joinedRoles;

	private final String sessionId;

	private final String tokenId;

	private final Instant expiresAt;

	private final Instant notBefore;

	/**
	 * @param subject the user id ({@code sub})
	 * @param roles the roles ({@code roles}), possibly empty
	 * @param sessionId the login session ({@code sid}), or {@code null}
	 * @param tokenId the {@code jti}
	 * @param expiresAt the {@code exp}
	 * @param notBefore the {@code nbf}, or {@code null}
	 */
	public VerifiedAccessToken(String subject, List<String> roles, String sessionId, String tokenId, Instant expiresAt,
			Instant notBefore) {
		this.subject = subject;
		this.roles = List.copyOf(roles);
		this.joinedRoles = String.join(",", this.roles);
		this.sessionId = sessionId;
		this.tokenId = tokenId;
		this.expiresAt = expiresAt;
		this.notBefore = notBefore;
	}

	/** The user id ({@code sub}). */
	public String subject() {
		return this.subject;
	}

	/** The roles ({@code roles}), possibly empty. */
	public List<String> roles() {
		return this.roles;
	}

	/** The roles joined by {@code ,}, as the {@code X-User-Roles} header carries them. */
	public String joinedRoles() {
		return this.joinedRoles;
	}

	/** The login session ({@code sid}), or {@code null}. */
	public String sessionId() {
		return this.sessionId;
	}

	/** The {@code jti}. */
	public String tokenId() {
		return this.tokenId;
	}

	/** The {@code exp}. */
	public Instant expiresAt() {
		return this.expiresAt;
	}

	/** The {@code nbf}, or {@code null} when the token has none. */
	public Instant notBefore() {
		return this.notBefore;
	}

	/** Whether the token carries at least one of {@code required}. */
	public boolean hasAnyRole(List<String> required) {
		for (String role : required) {
			if (this.roles.contains(role)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "VerifiedAccessToken[subject=" + this.subject + ", roles=" + this.roles + ", sessionId="
				+ this.sessionId + ", expiresAt=" + this.expiresAt + "]";
	}

}
