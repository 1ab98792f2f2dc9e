package dev.tollgate.token.firewall;

/**
 * The request paths the edge refuses, modelled on Spring Security's
 * {@code StrictServerWebExchangeFirewall}: any spelling that a server behind the gateway
 * might resolve to a path other than the one the gateway's route predicates matched.
 * Refused in the raw (still percent-encoded) path:
 * <ul>
 * <li>dot-segments {@code .} and {@code ..} (RFC 3986 §3.3, §5.2.4), and every encoded
 * period {@code %2e};</li>
 * <li>encoded slashes and backslashes ({@code %2f}, {@code %5c}), raw backslashes, and
 * empty segments ({@code //}), which some servers collapse;</li>
 * <li>path parameters ({@code ;}, {@code %3b}), which Tomcat and Jetty strip before
 * resolving {@code ..;/};</li>
 * <li>encoded percent signs ({@code %25}), which a second decoding turns into any of the
 * above;</li>
 * <li>control characters, raw or encoded (NUL included), anything outside printable
 * ASCII, and malformed percent-encoding.</li>
 * </ul>
 * Encoded spaces and encoded UTF-8 pass, and the query string is not looked at.
 */
final class StrictPathRules {

	private StrictPathRules() {
	}

	/**
	 * Why {@code rawPath} is refused, as a fixed description safe to answer; {@code null}
	 * when it is acceptable.
	 */
	static String rejection(String rawPath) {
		if (rawPath == null || rawPath.isEmpty()) {
			return null;
		}
		int segmentStart = 0;
		int length = rawPath.length();
		for (int i = 0; i < length; i++) {
			char c = rawPath.charAt(i);
			if (c == '/') {
				String segment = dotSegment(rawPath, segmentStart, i);
				if (segment != null) {
					return segment;
				}
				if (i + 1 < length && rawPath.charAt(i + 1) == '/') {
					return "empty path segment";
				}
				segmentStart = i + 1;
			}
			else if (c == '%') {
				String encoded = encoded(rawPath, i);
				if (encoded != null) {
					return encoded;
				}
				i += 2;
			}
			else if (c == ';') {
				return "path parameter in path";
			}
			else if (c == '\\') {
				return "backslash in path";
			}
			else if (c < 0x21 || c > 0x7E) {
				return "invalid character in path";
			}
		}
		return dotSegment(rawPath, segmentStart, length);
	}

	private static String dotSegment(String path, int start, int end) {
		int length = end - start;
		if ((length == 1 && path.charAt(start) == '.')
				|| (length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.')) {
			return "dot-segment in path";
		}
		return null;
	}

	/** Checks the percent-encoded octet at {@code index}. */
	private static String encoded(String path, int index) {
		if (index + 2 >= path.length()) {
			return "malformed percent-encoding in path";
		}
		int high = Character.digit(path.charAt(index + 1), 16);
		int low = Character.digit(path.charAt(index + 2), 16);
		if (high < 0 || low < 0) {
			return "malformed percent-encoding in path";
		}
		int octet = (high << 4) | low;
		return switch (octet) {
			case '.' -> "encoded period in path";
			case '/' -> "encoded slash in path";
			case '\\' -> "encoded backslash in path";
			case ';' -> "path parameter in path";
			case '%' -> "encoded percent in path";
			default -> (octet < 0x20 || octet == 0x7F) ? "encoded control character in path" : null;
		};
	}

}
