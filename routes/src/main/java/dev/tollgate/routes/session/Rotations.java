package dev.tollgate.routes.session;

import java.time.Instant;
import java.util.List;

/**
 * What both stores share outside their atomic step: the {@link Rotation} values they
 * answer and the rules on what a session may hold.
 */
public final class Rotations {

	private static final Rotation INVALID = new Rotation(Rotation.Outcome.INVALID, null, null);

	private Rotations() {
	}

	public static Rotation invalid() {
		return INVALID;
	}

	public static Rotation reused(Session session) {
		return new Rotation(Rotation.Outcome.REUSED, null, session);
	}

	public static Rotation rotated(String successor, long expiresAtMillis, Session session, List<String> mismatches) {
		return new Rotation(Rotation.Outcome.ROTATED, issued(successor, expiresAtMillis, session), session, mismatches);
	}

	public static Rotation bindingMismatch(Session session, List<String> mismatches) {
		return new Rotation(Rotation.Outcome.BINDING_MISMATCH, null, session, mismatches);
	}

	/**
	 * A bound session's token presented without a proof by its key: nothing rotated; the
	 * session ended when {@code ended} (the {@code enforce} binding policy).
	 */
	public static Rotation keyMismatch(Session session, boolean ended) {
		return new Rotation(Rotation.Outcome.KEY_MISMATCH, null, session, List.of(), ended);
	}

	/**
	 * Whether a refresh that proved the key {@code presented} may use a session bound to
	 * {@code bound} (RFC 9449 §5): a bearer session ({@code bound} empty) takes any
	 * refresh and stays bearer; a bound one only a proof by its own key.
	 * {@code session_rotate.lua} decides the same.
	 * @param bound the session's key thumbprint; {@code null} or empty for a bearer
	 * session
	 * @param presented the thumbprint of the refresh's proof; {@code null} or empty
	 * without one
	 */
	public static boolean keyMatches(String bound, String presented) {
		return bound == null || bound.isEmpty() || bound.equals(presented);
	}

	/**
	 * The stored form of a bound fact: SHA-1 (hex) of the session's key, the check and
	 * the value, so that the store never holds a user agent or an address. The Redis
	 * scripts compute the same with {@code redis.sha1hex}.
	 */
	public static String bindingHash(String tagKey, String check, String value) {
		try {
			byte[] digest = java.security.MessageDigest.getInstance("SHA-1")
				.digest((tagKey + "\n" + check + "\n" + value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
			return java.util.HexFormat.of().formatHex(digest);
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-1 is not available", ex);
		}
	}

	/**
	 * The answer to the immediate predecessor retried (within the grace window, or after
	 * a rotation whose answer was lost): the successor handed out at the rotation,
	 * derived again from the presented secret and the stored salt.
	 */
	public static Rotation retried(String successor, long expiresAtMillis, Session session, List<String> mismatches) {
		return new Rotation(Rotation.Outcome.RETRIED, issued(successor, expiresAtMillis, session), session, mismatches);
	}

	public static IssuedRefreshToken issued(String token, long expiresAtMillis, Session session) {
		return new IssuedRefreshToken(token, Instant.ofEpochMilli(expiresAtMillis), session);
	}

	/**
	 * The end of a token issued at {@code now}: its sliding ttl, never past the end of
	 * its session.
	 */
	public static long expiresAt(long now, long ttlMillis, long sessionExpiresAt) {
		return Math.min(now + ttlMillis, sessionExpiresAt);
	}

	/**
	 * Refuses a login the stores could not keep faithfully: roles are stored one per
	 * line, so a role may be neither empty nor contain a line break (the access-token
	 * issuer refuses far more: commas, spaces).
	 */
	public static void requireLogin(String userId, List<String> roles) {
		if (userId == null || userId.isEmpty()) {
			throw new IllegalArgumentException("userId must not be empty");
		}
		if (roles == null || !roles.stream().allMatch(Rotations::isStorableRole)) {
			throw new IllegalArgumentException("roles must be non-empty strings without line breaks");
		}
	}

	private static boolean isStorableRole(String role) {
		return role != null && !role.isEmpty() && role.indexOf('\n') < 0;
	}

}
