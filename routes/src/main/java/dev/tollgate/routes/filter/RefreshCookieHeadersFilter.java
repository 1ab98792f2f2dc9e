package dev.tollgate.routes.filter;

import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * Keeps the refresh cookie at the edge: removes it from the {@code Cookie} headers of
 * every proxied request (HTTP and WebSocket routes, the login route included), in cookie
 * mode and out of it. A browser sends the cookie to every path under its {@code Path}
 * ({@code /auth}), and only Tollgate's own refresh and logout endpoints, which are not
 * proxied, need it: no upstream should ever hold a live refresh token. Other cookies pass
 * unchanged (the other pairs of a line that held the refresh cookie are joined again by
 * {@code "; "}); a {@code Cookie} header line left with nothing is removed, and so is the
 * header when no line is left.
 * <p>
 * Pairs are split on {@code ;} (RFC 6265 §4.2.1), as Reactor Netty's cookie decoder,
 * which Tollgate's own endpoints read the cookie with, splits them; a pair is the refresh
 * cookie when its name, without surrounding whitespace, is exactly the configured name. A
 * request without the name anywhere in its {@code Cookie} headers is not copied.
 */
public final class RefreshCookieHeadersFilter implements HttpHeadersFilter, Ordered {

	/**
	 * Before {@link RemoveHopByHopHeadersFilter} (lowest precedence - 1) and the identity
	 * headers (lowest).
	 */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE - 2;

	private final String name;

	/**
	 * @param name the refresh cookie's name ({@code tollgate.refresh-token.cookie.name})
	 */
	public RefreshCookieHeadersFilter(String name) {
		this.name = name;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		List<String> lines = input.get(HttpHeaders.COOKIE);
		if (lines == null) {
			return input;
		}
		List<String> kept = null;
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			String rest = without(line, this.name);
			if (kept == null && rest != line) {
				kept = new ArrayList<>(lines.subList(0, i));
			}
			if (kept != null && !rest.isEmpty()) {
				kept.add(rest);
			}
		}
		if (kept == null) {
			return input;
		}
		// a copy: the headers handed in may be the request's own, which are read-only
		HttpHeaders output = new HttpHeaders();
		output.addAll(input);
		if (kept.isEmpty()) {
			output.remove(HttpHeaders.COOKIE);
		}
		else {
			output.put(HttpHeaders.COOKIE, kept);
		}
		return output;
	}

	/**
	 * One {@code Cookie} header line without the pairs named {@code name}: the very same
	 * string when it has none, else the other pairs joined by {@code "; "} ({@code ""}
	 * when nothing is left).
	 */
	static String without(String line, String name) {
		if (!line.contains(name)) {
			return line;
		}
		StringBuilder rest = new StringBuilder(line.length());
		boolean removed = false;
		for (String pair : line.split(";")) {
			int equals = pair.indexOf('=');
			if (((equals < 0) ? pair : pair.substring(0, equals)).strip().equals(name)) {
				removed = true;
			}
			else if (!pair.isBlank()) {
				rest.append((rest.length() > 0) ? "; " : "").append(pair.strip());
			}
		}
		return removed ? rest.toString() : line;
	}

}
