package dev.tollgate.token.firewall;

/**
 * Header-name comparison as the most lenient server behind the gateway might do it:
 * ignoring ASCII case and reading {@code _} as {@code -} (some servers fold
 * {@code X_User_Id} into {@code X-User-Id}). Allocation-free, since it runs on every
 * header of every request.
 */
public final class HeaderNames {

	/**
	 * The prefix of the identity headers; every client-sent header read as starting with
	 * it is removed.
	 */
	public static final String IDENTITY_PREFIX = "x-user-";

	private HeaderNames() {
	}

	/** Whether {@code name} is read as an identity header ({@code X-User-*}). */
	public static boolean isIdentity(CharSequence name) {
		return startsWith(name, IDENTITY_PREFIX);
	}

	/**
	 * Whether {@code name}, read leniently, starts with {@code lowerCasePrefix} (lower
	 * case, {@code -}).
	 */
	static boolean startsWith(CharSequence name, String lowerCasePrefix) {
		int length = lowerCasePrefix.length();
		if (name.length() < length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (fold(name.charAt(i)) != lowerCasePrefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether {@code name}, read leniently, equals {@code lowerCaseName} (lower case,
	 * {@code -}).
	 */
	public static boolean matches(CharSequence name, String lowerCaseName) {
		return name.length() == lowerCaseName.length() && startsWith(name, lowerCaseName);
	}

	private static char fold(char c) {
		if (c >= 'A' && c <= 'Z') {
			return (char) (c + ('a' - 'A'));
		}
		return (c == '_') ? '-' : c;
	}

}
