package dev.tollgate.token.dpop;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Normalises an HTTP(S) URI for the {@code htu} comparison of RFC 9449 §4.3 check 9, with
 * the syntax- and scheme-based normalisation of RFC 3986 §6.2.2 and §6.2.3: scheme and
 * host in lower case, the default port dropped, percent-encodings in upper-case hex and
 * those of unreserved characters decoded, dot segments removed, an empty path made
 * {@code /}; query and fragment dropped (RFC 9449 §4.2).
 */
final class HtuNormalizer {

	private HtuNormalizer() {
	}

	/**
	 * The normal form of {@code uri}, or {@code null} when it is not an absolute http or
	 * https URI with a host and without user information.
	 */
	static String normalize(String uri) {
		URI parsed;
		try {
			parsed = new URI(uri);
		}
		catch (URISyntaxException ex) {
			return null;
		}
		String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : null;
		if (!"http".equals(scheme) && !"https".equals(scheme) || parsed.getRawUserInfo() != null
				|| parsed.getHost() == null) {
			return null;
		}
		return of(scheme, parsed.getHost(), parsed.getPort(), parsed.getRawPath());
	}

	/**
	 * The normal form of the URI with these parts; {@code port} -1 for none,
	 * {@code rawPath} as sent (percent-encoded).
	 */
	static String of(String scheme, String host, int port, String rawPath) {
		String lowerScheme = scheme.toLowerCase(Locale.ROOT);
		StringBuilder out = new StringBuilder(64).append(lowerScheme)
			.append("://")
			.append(host.toLowerCase(Locale.ROOT));
		boolean defaultPort = port == -1 || ("http".equals(lowerScheme) && port == 80)
				|| ("https".equals(lowerScheme) && port == 443);
		if (!defaultPort) {
			out.append(':').append(port);
		}
		String path = removeDotSegments(percentEncodings((rawPath != null) ? rawPath : ""));
		out.append(path.isEmpty() ? "/" : path);
		return out.toString();
	}

	/** Upper-case hex in every percent-encoding; unreserved characters decoded. */
	private static String percentEncodings(String path) {
		if (path.indexOf('%') < 0) {
			return path;
		}
		StringBuilder out = new StringBuilder(path.length());
		for (int i = 0; i < path.length(); i++) {
			char c = path.charAt(i);
			if (c == '%' && i + 2 < path.length() && isHex(path.charAt(i + 1)) && isHex(path.charAt(i + 2))) {
				char decoded = (char) Integer.parseInt(path.substring(i + 1, i + 3), 16);
				if (isUnreserved(decoded)) {
					out.append(decoded);
				}
				else {
					out.append('%').append(path.substring(i + 1, i + 3).toUpperCase(Locale.ROOT));
				}
				i += 2;
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	/** RFC 3986 §5.2.4. */
	private static String removeDotSegments(String path) {
		if (!path.contains(".")) {
			return path;
		}
		Deque<String> output = new ArrayDeque<>();
		String[] segments = path.split("/", -1);
		for (int i = 0; i < segments.length; i++) {
			String segment = segments[i];
			boolean last = i == segments.length - 1;
			if (".".equals(segment) || "..".equals(segment)) {
				if ("..".equals(segment) && output.size() > 1) {
					output.removeLast();
				}
				if (last) {
					output.addLast("");
				}
			}
			else {
				output.addLast(segment);
			}
		}
		String joined = String.join("/", output);
		return (path.startsWith("/") && !joined.startsWith("/")) ? "/" + joined : joined;
	}

	private static boolean isHex(char c) {
		return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	}

	private static boolean isUnreserved(char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
				|| c == '_' || c == '~';
	}

}
