package dev.tollgate.token.firewall;

import java.util.List;

import org.springframework.http.HttpHeaders;

/**
 * The client-sent headers that never reach a route: identity headers ({@code X-User-*},
 * which only the gateway sets), headers that make some servers and frameworks re-route a
 * request or change its method ({@code X-Original-URL}, {@code X-Rewrite-URL},
 * {@code X-HTTP-Method-Override}, {@code X-HTTP-Method}, {@code X-Method-Override}), and
 * {@code X-Real-IP} unless trusted proxies set it. Names are compared as
 * {@link HeaderNames} does.
 * <p>
 * The {@code Connection} header names headers for the next hop to drop (RFC 9110 §7.6.1);
 * the gateway honours it after Tollgate added the identity headers. So a
 * {@code Connection} option naming {@code Authorization} or an identity header is removed
 * from it (the class of Apache CVE-2022-31813); other options are kept.
 */
final class RequestHeaderRules {

	private static final List<String> REROUTING = List.of("x-original-url", "x-rewrite-url", "x-http-method-override",
			"x-http-method", "x-method-override");

	private static final String REAL_IP = "x-real-ip";

	private static final String AUTHORIZATION = "authorization";

	private final boolean removeRealIp;

	RequestHeaderRules(int trustedProxies) {
		this.removeRealIp = trustedProxies == 0;
	}

	/**
	 * Whether {@link #sanitise} would change the request whose header names are
	 * {@code names}; cheap, for the common case of nothing to do.
	 */
	boolean needsSanitising(Iterable<? extends CharSequence> names, HttpHeaders headers) {
		for (CharSequence name : names) {
			if (isRemoved(name) || (HeaderNames.matches(name, "connection") && hasProtectedOption(headers))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Removes what must not reach a route, and protected options from {@code Connection}.
	 */
	void sanitise(HttpHeaders headers) {
		List<String> removed = HeaderNames.matching(headers, this::isRemoved);
		if (removed != null) {
			removed.forEach(headers::remove);
		}
		List<String> connection = headers.getConnection();
		if (!connection.isEmpty()) {
			List<String> kept = connection.stream().filter((option) -> !isProtected(option.trim())).toList();
			if (kept.size() != connection.size()) {
				if (kept.isEmpty()) {
					headers.remove(HttpHeaders.CONNECTION);
				}
				else {
					headers.setConnection(kept);
				}
			}
		}
	}

	private boolean isRemoved(CharSequence name) {
		if (HeaderNames.isIdentity(name)) {
			return true;
		}
		for (String rerouting : REROUTING) {
			if (HeaderNames.matches(name, rerouting)) {
				return true;
			}
		}
		return this.removeRealIp && HeaderNames.matches(name, REAL_IP);
	}

	private static boolean hasProtectedOption(HttpHeaders headers) {
		return headers.getConnection().stream().anyMatch((option) -> isProtected(option.trim()));
	}

	/** A header that a hop-by-hop list may never remove. */
	private static boolean isProtected(String headerName) {
		return HeaderNames.isIdentity(headerName) || HeaderNames.matches(headerName, AUTHORIZATION);
	}

}
