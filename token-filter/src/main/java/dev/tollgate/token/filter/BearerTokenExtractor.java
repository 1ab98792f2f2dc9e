package dev.tollgate.token.filter;

import dev.tollgate.token.error.TollgateErrors;

/**
 * Reads the token of an {@code Authorization: Bearer} header (RFC 6750 §2.1): the scheme
 * in any case, one or more spaces, a {@code b64token}
 * ({@code ALPHA / DIGIT / - . _ ~ + /}, then {@code =} padding only), optional trailing
 * spaces. A hand-written scan instead of a regular expression: it runs on every request.
 */
final class BearerTokenExtractor {

	private static final String SCHEME = "Bearer";

	/** The scheme of a DPoP-bound token (RFC 9449 §7.1), with the same token syntax. */
	private static final String DPOP_SCHEME = "DPoP";

	private BearerTokenExtractor() {
	}

	/**
	 * The bearer token in {@code authorization}, or {@code null} when the header uses
	 * another scheme (no bearer token at all, RFC 6750 §3.1).
	 * @throws dev.tollgate.token.error.TollgateErrorException 400 {@code invalid_request}
	 * for a malformed bearer header
	 */
	static String extract(String authorization) {
		return extract(authorization, SCHEME);
	}

	/**
	 * The token in an {@code Authorization: DPoP} header (RFC 9449 §7.1), or {@code null}
	 * when the header uses another scheme.
	 * @throws dev.tollgate.token.error.TollgateErrorException 400 {@code invalid_request}
	 * for a malformed header
	 */
	static String extractDpop(String authorization) {
		return extract(authorization, DPOP_SCHEME);
	}

	private static String extract(String authorization, String scheme) {
		int length = authorization.length();
		if (length < scheme.length() || !authorization.regionMatches(true, 0, scheme, 0, scheme.length())
				|| (length > scheme.length() && authorization.charAt(scheme.length()) != ' ')) {
			return null;
		}
		int start = scheme.length();
		while (start < length && authorization.charAt(start) == ' ') {
			start++;
		}
		int end = length;
		while (end > start && authorization.charAt(end - 1) == ' ') {
			end--;
		}
		if (start == scheme.length() || start == end || !isB64Token(authorization, start, end)) {
			throw TollgateErrors.invalidAuthorization("malformed Authorization header").exception();
		}
		return (start == scheme.length() + 1 && end == length) ? authorization.substring(start)
				: authorization.substring(start, end);
	}

	private static boolean isB64Token(String text, int start, int end) {
		int padding = end;
		while (padding > start && text.charAt(padding - 1) == '=') {
			padding--;
		}
		if (padding == start) {
			return false;
		}
		for (int i = start; i < padding; i++) {
			char c = text.charAt(i);
			boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
					|| c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
			if (!allowed) {
				return false;
			}
		}
		return true;
	}

}
