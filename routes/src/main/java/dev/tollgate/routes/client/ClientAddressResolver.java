package dev.tollgate.routes.client;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Locale;

import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The client's address as {@code tollgate.client-address.*} says to find it, for the
 * login lock-outs, the audit log, the {@code address-prefix} refresh binding and the
 * rate-limit key alike.
 * <p>
 * With no trusted proxy (the default) it is the connection's peer, read from the channel
 * itself: Spring Boot turns its forwarded-header handling on by itself on Kubernetes and
 * other cloud platforms, and then {@link ServerHttpRequest#getRemoteAddress()} is the
 * left-most {@code X-Forwarded-For}, which the client writes.
 * <p>
 * With N trusted proxies in front, it is the node N hops from the right of
 * {@code X-Forwarded-For} or of RFC 7239 {@code Forwarded} ({@link ForwardedChain}), read
 * from the headers as the connection sent them (Spring's
 * {@code ForwardedHeaderTransformer} removes them from the request). Stricter than the
 * gateway's {@code XForwardedRemoteAddressResolver}: a node must be an IP literal (never
 * a name to look up); fewer nodes than N, or anything else at that position, and the
 * connection's peer is used.
 */
public final class ClientAddressResolver {

	/** Which header the trusted proxies write. */
	private enum Header {

		/** {@code X-Forwarded-For} when the request has one, else {@code Forwarded}. */
		AUTO,

		/** {@code X-Forwarded-For} only. */
		X_FORWARDED_FOR,

		/** RFC 7239 {@code Forwarded} only. */
		FORWARDED

	}

	private static final String X_FORWARDED_FOR = "X-Forwarded-For";

	private static final String FORWARDED = "Forwarded";

	private final int trustedProxies;

	private final Header header;

	/**
	 * Trusts {@code trustedProxies} hops of {@code X-Forwarded-For}, or of
	 * {@code Forwarded} when it is absent.
	 */
	public ClientAddressResolver(int trustedProxies) {
		this(trustedProxies, "auto");
	}

	/**
	 * Trusts {@code trustedProxies} hops of the header {@code forwardedHeader} names:
	 * {@code auto}, {@code x-forwarded-for} or {@code forwarded}.
	 */
	public ClientAddressResolver(int trustedProxies, String forwardedHeader) {
		this.trustedProxies = trustedProxies;
		this.header = Header.valueOf(forwardedHeader.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
	}

	/**
	 * The client's IP address as text, or {@code null} when the request has no peer
	 * (tests, a closed channel).
	 */
	public String resolve(ServerHttpRequest request) {
		Object connection = nativeRequest(request);
		if (this.trustedProxies > 0) {
			String forwarded = forwarded(request, connection);
			if (forwarded != null) {
				return forwarded;
			}
		}
		return peer(request, connection);
	}

	private String forwarded(ServerHttpRequest request, Object connection) {
		List<String> hops = hops(request, connection);
		int index = hops.size() - this.trustedProxies;
		return (index >= 0) ? ForwardedChain.address(hops.get(index)) : null;
	}

	/**
	 * The hops of the header the proxies write: X-Forwarded-For, unless pinned to
	 * Forwarded or (auto) absent.
	 */
	private List<String> hops(ServerHttpRequest request, Object connection) {
		if (this.header != Header.FORWARDED) {
			List<String> lines = lines(request, connection, X_FORWARDED_FOR);
			if (!lines.isEmpty() || this.header == Header.X_FORWARDED_FOR) {
				return ForwardedChain.xForwardedFor(lines);
			}
		}
		return ForwardedChain.forwarded(lines(request, connection, FORWARDED));
	}

	/** Every line of header {@code name} as the client's connection sent it, in order. */
	private static List<String> lines(ServerHttpRequest request, Object connection, String name) {
		if (connection instanceof HttpServerRequest netty) {
			return netty.requestHeaders().getAll(name);
		}
		List<String> lines = request.getHeaders().get(name);
		return (lines != null) ? lines : List.of();
	}

	private static String peer(ServerHttpRequest request, Object connection) {
		SocketAddress peer = (connection instanceof Connection netty) ? netty.channel().remoteAddress()
				: request.getRemoteAddress();
		return (peer instanceof InetSocketAddress inet && inet.getAddress() != null)
				? inet.getAddress().getHostAddress() : null;
	}

	/**
	 * Reactor Netty's request (a {@link Connection}) under every decorator and mutation,
	 * or {@code null}.
	 */
	private static Object nativeRequest(ServerHttpRequest request) {
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// a request of no server (a mock in a test) or of a type of its own: there is
			// no connection to read
			return null;
		}
	}

}
