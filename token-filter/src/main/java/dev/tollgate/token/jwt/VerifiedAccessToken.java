package dev.tollgate.token.jwt;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * The identity an access token proved, after every check passed. Immutable; kept in the
 * validated-token cache and shared by every request that presents the same token, so it
 * holds only what a request needs and is kept small: the roles are a shared
 * {@link RoleSets set}, the times are epoch seconds, and a session id of the form
 * Tollgate mints (128 bits in 22 base64url characters) is kept as its 128 bits. The
 * token's {@code jti} was checked when it was verified and is not kept.
 */
public final class VerifiedAccessToken {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final String subject;

	private final RoleSets.RoleSet roles;

	/**
	 * The session id when it is not held as {@link #sessionIdHigh},
	 * {@link #sessionIdLow}; {@code null} then.
	 */
	private final String sessionId;

	private final boolean compactSessionId;

	private final long sessionIdHigh;

	private final long sessionIdLow;

	private final long expiresAt;

	/** The {@code nbf}, {@link Long#MIN_VALUE} without one. */
	private final long notBefore;

	/**
	 * The {@code cnf.jkt} of a DPoP-bound token (RFC 9449 §6.1), {@code null} for a
	 * bearer token: one reference, which fits in the object's alignment padding, so a
	 * bearer token costs no more than before.
	 */
	private final String keyThumbprint;

	/**
	 * @param subject the user id ({@code sub})
	 * @param roles the roles ({@code roles}), possibly empty
	 * @param sessionId the login session ({@code sid}), or {@code null}
	 * @param expiresAt the {@code exp}
	 * @param notBefore the {@code nbf}, or {@code null}
	 */
	public VerifiedAccessToken(String subject, List<String> roles, String sessionId, Instant expiresAt,
			Instant notBefore) {
		this(subject, roles, sessionId, expiresAt, notBefore, null);
	}

	/**
	 * @param subject the user id ({@code sub})
	 * @param roles the roles ({@code roles}), possibly empty
	 * @param sessionId the login session ({@code sid}), or {@code null}
	 * @param expiresAt the {@code exp}
	 * @param notBefore the {@code nbf}, or {@code null}
	 * @param keyThumbprint the {@code cnf.jkt} of a DPoP-bound token, or {@code null}
	 */
	public VerifiedAccessToken(String subject, List<String> roles, String sessionId, Instant expiresAt,
			Instant notBefore, String keyThumbprint) {
		this.keyThumbprint = keyThumbprint;
		this.subject = subject;
		this.roles = RoleSets.of(roles);
		byte[] bits = compactable(sessionId);
		this.compactSessionId = bits != null;
		this.sessionId = this.compactSessionId ? null : sessionId;
		this.sessionIdHigh = this.compactSessionId ? ByteBuffer.wrap(bits).getLong(0) : 0;
		this.sessionIdLow = this.compactSessionId ? ByteBuffer.wrap(bits).getLong(8) : 0;
		this.expiresAt = expiresAt.getEpochSecond();
		this.notBefore = (notBefore != null) ? notBefore.getEpochSecond() : Long.MIN_VALUE;
	}

	/** The user id ({@code sub}). */
	public String subject() {
		return this.subject;
	}

	/** The roles ({@code roles}), possibly empty. */
	public List<String> roles() {
		return this.roles.roles();
	}

	/** The roles joined by {@code ,}, as the {@code X-User-Roles} header carries them. */
	public String joinedRoles() {
		return this.roles.joined();
	}

	/** The login session ({@code sid}), or {@code null}. */
	public String sessionId() {
		if (!this.compactSessionId) {
			return this.sessionId;
		}
		byte[] bits = ByteBuffer.allocate(16).putLong(this.sessionIdHigh).putLong(this.sessionIdLow).array();
		return BASE64URL.encodeToString(bits);
	}

	/** The {@code exp}. */
	public Instant expiresAt() {
		return Instant.ofEpochSecond(this.expiresAt);
	}

	/**
	 * The {@code exp} in epoch seconds (no allocation, for the check made on every
	 * request).
	 */
	long expiresAtEpochSecond() {
		return this.expiresAt;
	}

	/** The {@code nbf}, or {@code null} when the token has none. */
	public Instant notBefore() {
		return (this.notBefore != Long.MIN_VALUE) ? Instant.ofEpochSecond(this.notBefore) : null;
	}

	/**
	 * The {@code nbf} in epoch seconds, {@link Long#MIN_VALUE} when the token has none.
	 */
	long notBeforeEpochSecond() {
		return this.notBefore;
	}

	/**
	 * The {@code cnf.jkt} of a DPoP-bound token (RFC 9449 §6.1): the thumbprint of the
	 * key every request's proof must be signed with; {@code null} for a bearer token.
	 */
	public String keyThumbprint() {
		return this.keyThumbprint;
	}

	/** Whether the token carries at least one of {@code required}. */
	public boolean hasAnyRole(List<String> required) {
		List<String> roles = this.roles.roles();
		for (String role : required) {
			if (roles.contains(role)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * The 128 bits a session id of Tollgate's form (22 base64url characters, canonical)
	 * spells, else {@code null}.
	 */
	private static byte[] compactable(String sessionId) {
		if (sessionId == null || sessionId.length() != 22) {
			return null;
		}
		try {
			byte[] bits = Base64.getUrlDecoder().decode(sessionId);
			return BASE64URL.encodeToString(bits).equals(sessionId) ? bits : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "VerifiedAccessToken[subject=" + this.subject + ", roles=" + roles() + ", sessionId=" + sessionId()
				+ ", expiresAt=" + expiresAt() + ", bound=" + (this.keyThumbprint != null) + "]";
	}

}
