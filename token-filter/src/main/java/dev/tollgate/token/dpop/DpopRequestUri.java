package dev.tollgate.token.dpop;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The URL the client used, normalised for the {@code htu} check (RFC 9449 §4.3 check 9):
 * the path as the client sent it (the access filter and the token endpoint run before
 * {@code StripPrefix} or {@code SetPath}); scheme, host and port from
 * {@code X-Forwarded-Proto}/{@code -Host}/{@code -Port} or RFC 7239 {@code Forwarded}
 * only when proxies are trusted ({@code tollgate.client-address.trusted-proxies > 0},
 * with the same {@code forwarded-header} choice), else scheme from the connection (TLS or
 * not) and host from the {@code Host} header. Headers are read as the connection sent
 * them: Spring Boot's native forwarded-header handling (on by itself on Kubernetes)
 * rewrites the request's URI from headers nobody vouched for.
 */
public final class DpopRequestUri {

	private final int trustedProxies;

	private final String forwardedHeader;

	/**
	 * @param trustedProxies {@code tollgate.client-address.trusted-proxies}
	 * @param forwardedHeader {@code tollgate.client-address.forwarded-header}: auto,
	 * x-forwarded-for or forwarded
	 */
	public DpopRequestUri(int trustedProxies, String forwardedHeader) {
		this.trustedProxies = trustedProxies;
		this.forwardedHeader = forwardedHeader.strip().toLowerCase(Locale.ROOT);
	}

	/**
	 * The normal form of {@code uri} as {@link #of(ServerHttpRequest)} gives it, or
	 * {@code null} when it is not an absolute http(s) URI.
	 */
	public static String normalize(String uri) {
		return HtuNormalizer.normalize(uri);
	}

	/** The normalised URL the client used for {@code request}. */
	public String of(ServerHttpRequest request) {
		Object nativeRequest = nativeRequest(request);
		HttpServerRequest netty = (nativeRequest instanceof HttpServerRequest server) ? server : null;
		String scheme = (netty != null) ? ((request.getSslInfo() != null) ? "https" : "http")
				: request.getURI().getScheme();
		String authority = (netty != null) ? netty.requestHeaders().get(HttpHeaders.HOST)
				: request.getHeaders().getFirst(HttpHeaders.HOST);
		if (authority == null) {
			authority = request.getURI().getRawAuthority();
		}
		String path = (netty != null) ? pathOf(netty.uri()) : request.getURI().getRawPath();
		String port = null;
		if (this.trustedProxies > 0) {
			Forwarded forwarded = forwarded(request, netty);
			scheme = (forwarded.proto() != null) ? forwarded.proto() : scheme;
			authority = (forwarded.host() != null) ? forwarded.host() : authority;
			port = forwarded.port();
		}
		HostAndPort host = HostAndPort.parse((authority != null) ? authority : "localhost");
		int portNumber = host.port();
		if (port != null) {
			try {
				portNumber = Integer.parseInt(port.strip());
			}
			catch (NumberFormatException ex) {
				// a port nobody can have sent: the proof cannot match, as for any other
				// wrong value
				portNumber = 0;
			}
		}
		return HtuNormalizer.of((scheme != null) ? scheme : "http", host.host(), portNumber, path);
	}

	private Forwarded forwarded(ServerHttpRequest request, HttpServerRequest netty) {
		boolean useX = !"forwarded".equals(this.forwardedHeader);
		List<String> proto = lines(request, netty, "X-Forwarded-Proto");
		List<String> host = lines(request, netty, "X-Forwarded-Host");
		if (useX && ("x-forwarded-for".equals(this.forwardedHeader) || !proto.isEmpty() || !host.isEmpty())) {
			return new Forwarded(pick(values(proto)), pick(values(host)),
					pick(values(lines(request, netty, "X-Forwarded-Port"))));
		}
		if ("x-forwarded-for".equals(this.forwardedHeader)) {
			return new Forwarded(null, null, null);
		}
		List<String> elements = values(lines(request, netty, "Forwarded"));
		String element = pick(elements);
		return (element != null) ? new Forwarded(parameter(element, "proto"), parameter(element, "host"), null)
				: new Forwarded(null, null, null);
	}

	/**
	 * The entry a trusted proxy wrote: {@code trustedProxies} from the right, or the
	 * first when proxies overwrote the header instead of appending.
	 */
	private String pick(List<String> values) {
		return values.isEmpty() ? null : values.get(Math.max(0, values.size() - this.trustedProxies));
	}

	private static String parameter(String element, String name) {
		for (String pair : element.split(";")) {
			int equals = pair.indexOf('=');
			if (equals > 0 && pair.substring(0, equals).strip().equalsIgnoreCase(name)) {
				String value = pair.substring(equals + 1).strip();
				return (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\""))
						? value.substring(1, value.length() - 1) : value;
			}
		}
		return null;
	}

	private static List<String> values(List<String> lines) {
		List<String> values = new ArrayList<>();
		for (String line : lines) {
			for (String value : line.split(",")) {
				if (!value.isBlank()) {
					values.add(value.strip());
				}
			}
		}
		return values;
	}

	private static List<String> lines(ServerHttpRequest request, HttpServerRequest netty, String name) {
		if (netty != null) {
			return netty.requestHeaders().getAll(name);
		}
		List<String> lines = request.getHeaders().get(name);
		return (lines != null) ? lines : List.of();
	}

	private static String pathOf(String requestTarget) {
		int end = requestTarget.length();
		int query = requestTarget.indexOf('?');
		int fragment = requestTarget.indexOf('#');
		end = (query >= 0) ? query : end;
		end = (fragment >= 0 && fragment < end) ? fragment : end;
		String target = requestTarget.substring(0, end);
		// absolute-form (RFC 9112 §3.2.2): keep the path only
		int scheme = target.indexOf("://");
		if (scheme > 0 && !target.startsWith("/")) {
			int slash = target.indexOf('/', scheme + 3);
			return (slash >= 0) ? target.substring(slash) : "/";
		}
		return target;
	}

	private static Object nativeRequest(ServerHttpRequest request) {
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// a request of no server (a mock in a test): no connection to read
			return null;
		}
	}

	private record Forwarded(String proto, String host, String port) {
	}

	/** A host (a name, an IPv4 or a bracketed IPv6 literal) and a port, -1 for none. */
	private record HostAndPort(String host, int port) {

		static HostAndPort parse(String authority) {
			int colon = authority.lastIndexOf(':');
			int bracket = authority.lastIndexOf(']');
			if (colon > bracket && colon >= 0) {
				try {
					return new HostAndPort(authority.substring(0, colon),
							Integer.parseInt(authority.substring(colon + 1)));
				}
				catch (NumberFormatException ex) {
					return new HostAndPort(authority, 0);
				}
			}
			return new HostAndPort(authority, -1);
		}

	}

}
