package dev.tollgate.routes.client;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.StringUtils;

/**
 * The client's address as {@code tollgate.client-address.trusted-proxies} says to find it: the TCP peer when 0;
 * with N trusted proxies in front, the entry N hops from the right of {@code X-Forwarded-For} (each trusted proxy
 * appended what it saw), as the gateway's {@code XForwardedRemoteAddressResolver.maxTrustedIndex(N)} reads it.
 * Stricter than that resolver: an entry must be an IP literal (never a name to look up, which would block and
 * leak a DNS query), and when there are fewer than N entries, or several {@code X-Forwarded-For} headers, the chain
 * cannot be trusted and the TCP peer is used.
 */
public final class ClientAddressResolver {

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	/** An IPv4 dotted quad, or IPv6 text (it holds a colon): nothing a resolver would send to DNS. */
	private static final Pattern IP_LITERAL = Pattern
		.compile("\\d{1,3}(\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

	private final int trustedProxies;

	public ClientAddressResolver(int trustedProxies) {
		this.trustedProxies = trustedProxies;
	}

	/** The client's IP address as text, or {@code null} when the request has no peer (tests, a closed channel). */
	public String resolve(ServerHttpRequest request) {
		if (this.trustedProxies > 0) {
			String forwarded = forwardedFor(request);
			if (forwarded != null) {
				return forwarded;
			}
		}
		InetSocketAddress peer = request.getRemoteAddress();
		return (peer != null && peer.getAddress() != null) ? peer.getAddress().getHostAddress() : null;
	}

	private String forwardedFor(ServerHttpRequest request) {
		List<String> headers = request.getHeaders().get(X_FORWARDED_FOR);
		if (headers == null || headers.size() != 1) {
			return null;
		}
		String[] entries = StringUtils.tokenizeToStringArray(headers.get(0), ",");
		if (entries.length < this.trustedProxies) {
			return null;
		}
		return literal(entries[entries.length - this.trustedProxies]);
	}

	private static String literal(String entry) {
		String candidate = entry.trim();
		if (candidate.startsWith("[") && candidate.endsWith("]")) {
			candidate = candidate.substring(1, candidate.length() - 1);
		}
		if (!IP_LITERAL.matcher(candidate).matches()) {
			return null;
		}
		try {
			return InetAddress.getByName(candidate).getHostAddress();
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

}
