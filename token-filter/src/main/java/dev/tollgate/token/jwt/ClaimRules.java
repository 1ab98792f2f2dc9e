package dev.tollgate.token.jwt;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What a subject and a role may look like, checked both when minting and when verifying:
 * both end up in {@code X-User-*} headers, where a control character would split a
 * header, a comma would make a second value (a second user id, a forged role) and
 * whitespace would be trimmed or split by some servers. Both are 1 to 255 (roles: 64)
 * printable ASCII characters other than space and comma.
 */
public final class ClaimRules {

	static final String ROLES = "roles";

	static final String SESSION_ID = "sid";

	/** The confirmation claim (RFC 7800 §3.1) of a DPoP-bound token. */
	static final String CONFIRMATION = "cnf";

	/** The member of {@code cnf} holding the key thumbprint (RFC 9449 §6.1). */
	static final String KEY_THUMBPRINT = "jkt";

	private static final Pattern SUBJECT = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E]{1,255}");

	private static final Pattern ROLE = Pattern.compile("[\\x21-\\x2B\\x2D-\\x7E]{1,64}");

	private static final int MAX_ROLES = 64;

	private ClaimRules() {
	}

	public static boolean isValidSubject(Object subject) {
		return subject instanceof String s && SUBJECT.matcher(s).matches();
	}

	/** Whether {@code role} is a role a token can carry. */
	public static boolean isValidRole(String role) {
		return role != null && ROLE.matcher(role).matches();
	}

	public static boolean isValidRoles(Object roles) {
		if (!(roles instanceof List<?> list) || list.size() > MAX_ROLES) {
			return false;
		}
		return list.stream().allMatch((role) -> role instanceof String s && ROLE.matcher(s).matches());
	}

	/**
	 * Whether {@code value} is an RFC 7638 SHA-256 thumbprint: 43 base64url characters,
	 * canonical (no bits set past the 32 bytes).
	 */
	public static boolean isKeyThumbprint(Object value) {
		if (!(value instanceof String text) || text.length() != 43) {
			return false;
		}
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
				return false;
			}
		}
		return AccessTokenVerifier.isCanonicalBase64Url(text);
	}

	static void requireSubject(String subject) {
		if (!isValidSubject(subject)) {
			throw new IllegalArgumentException(
					"subject must be 1-255 printable ASCII characters without commas or spaces");
		}
	}

	static void requireRoles(List<String> roles) {
		if (!isValidRoles(roles)) {
			throw new IllegalArgumentException("roles must be at most " + MAX_ROLES
					+ " names of 1-64 printable ASCII characters without commas or spaces");
		}
	}

}
