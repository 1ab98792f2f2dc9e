package dev.tollgate.routes.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hops a request went through, left (what the client claims) to right (what the last
 * proxy saw), read from the lines of {@code X-Forwarded-For} or of RFC 7239
 * {@code Forwarded}. Several lines of one header are one list, in order (RFC 9110 §5.3).
 * Each hop is a node as its proxy wrote it: for {@code Forwarded} the value of an
 * element's {@code for} parameter (RFC 7239 §4, quoted strings unquoted), the empty
 * string when the element has none.
 */
final class ForwardedChain {

	/**
	 * {@code [IPv6]}, {@code [IPv6]:port}, {@code IPv4:port} (RFC 7239 §6: a port may be
	 * obfuscated).
	 */
	private static final Pattern NODE_WITH_PORT = Pattern
		.compile("\\[([^\\]]*)\\](?::(?:\\d{1,5}|_[A-Za-z0-9._-]+))?|([0-9.]+):(?:\\d{1,5}|_[A-Za-z0-9._-]+)");

	private ForwardedChain() {
	}

	/** The entries of {@code X-Forwarded-For} lines: comma-separated, blanks skipped. */
	static List<String> xForwardedFor(List<String> lines) {
		List<String> hops = new ArrayList<>();
		for (String line : lines) {
			for (String entry : line.split(",")) {
				if (!entry.isBlank()) {
					hops.add(entry.strip());
				}
			}
		}
		return hops;
	}

	/**
	 * The {@code for} node of each element of {@code Forwarded} lines; a quoted string
	 * never spans two lines.
	 */
	static List<String> forwarded(List<String> lines) {
		List<String> hops = new ArrayList<>();
		for (String line : lines) {
			for (String element : split(line, ',')) {
				if (!element.isBlank()) {
					hops.add(forNode(element));
				}
			}
		}
		return hops;
	}

	/**
	 * The address a node names, in canonical text: an IPv4 or IPv6 literal, bracketed or
	 * not, with or without a port; {@code null} for anything else ({@code unknown}, an
	 * obfuscated identifier such as {@code _hidden}, a name, which is never looked up).
	 */
	static String address(String node) {
		Matcher withPort = NODE_WITH_PORT.matcher(node);
		if (withPort.matches()) {
			String ipv6 = withPort.group(1);
			if (ipv6 != null) {
				return (ipv6.indexOf(':') >= 0) ? IpAddresses.canonical(ipv6) : null;
			}
			return IpAddresses.canonical(withPort.group(2));
		}
		return IpAddresses.canonical(node);
	}

	private static String forNode(String element) {
		for (String pair : split(element, ';')) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).strip().toLowerCase(Locale.ROOT).equals("for")) {
				return unquote(pair.substring(equals + 1).strip());
			}
		}
		return "";
	}

	/**
	 * {@code value} cut at each {@code separator} outside a quoted string (RFC 9110
	 * §5.6.4).
	 */
	private static List<String> split(String value, char separator) {
		List<String> parts = new ArrayList<>();
		StringBuilder part = new StringBuilder();
		boolean quoted = false;
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (quoted && c == '\\' && i + 1 < value.length()) {
				part.append(c).append(value.charAt(++i));
				continue;
			}
			if (c == '"') {
				quoted = !quoted;
			}
			if (c == separator && !quoted) {
				parts.add(part.toString());
				part.setLength(0);
			}
			else {
				part.append(c);
			}
		}
		parts.add(part.toString());
		return parts;
	}

	private static String unquote(String value) {
		if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
			return value;
		}
		StringBuilder unquoted = new StringBuilder(value.length());
		for (int i = 1; i < value.length() - 1; i++) {
			char c = value.charAt(i);
			if (c == '\\' && i + 1 < value.length() - 1) {
				c = value.charAt(++i);
			}
			unquoted.append(c);
		}
		return unquoted.toString();
	}

}
