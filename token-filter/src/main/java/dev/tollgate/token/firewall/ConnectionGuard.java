package dev.tollgate.token.firewall;

import java.time.Duration;
import java.util.List;

import dev.tollgate.token.error.ProblemResponseWriter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * HTTP/1.1 framing and read deadlines on every connection of the server, below Spring:
 * what must hold before a request is handed to the gateway, and which no web filter can
 * enforce because by then the bytes are parsed.
 * <ul>
 * <li><b>Transfer-Encoding</b> (RFC 9112 §6.1): a request whose {@code Transfer-Encoding}
 * is anything but exactly one {@code chunked} is answered 400 {@code invalid_request} and
 * its connection closed: servers disagree on such framing, which is how requests are
 * smuggled. A request that Netty's decoder already refused (both
 * {@code Transfer-Encoding} and {@code Content-Length}, a final coding other than
 * {@code chunked}, bad header syntax) is answered the same way; over-long request lines
 * and headers are left to Reactor Netty (414, 431).</li>
 * <li><b>Malformed chunked body</b>: Reactor Netty answers 400 but ends the request body
 * as if it were complete, so the gateway would hand the upstream a cleanly ended request.
 * The connection is closed instead, which makes the body fail: the proxied request is
 * aborted and the upstream never sees it complete.</li>
 * <li><b>Header deadline</b>: a client that started a request must complete its request
 * line and headers within {@code tollgate.http.header-timeout}, or it gets 408 and its
 * connection is closed (slow-header attacks). Idle keep-alive connections are not
 * affected.</li>
 * </ul>
 */
public final class ConnectionGuard implements NettyServerCustomizer {

	static final String DEADLINE_HANDLER = "tollgate.headerDeadline";

	static final String FRAMING_HANDLER = "tollgate.framingGuard";

	private final long headerTimeoutNanos;

	private final ProblemResponseWriter writer;

	public ConnectionGuard(Duration headerTimeout, ProblemResponseWriter writer) {
		this.headerTimeoutNanos = headerTimeout.toNanos();
		this.writer = writer;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		return server.doOnChannelInit((observer, channel, address) -> install(channel.pipeline()));
	}

	/**
	 * Adds the guard around the HTTP/1.1 codec; pipelines without one (HTTP/2) are left
	 * alone.
	 */
	void install(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(FRAMING_HANDLER) != null) {
			return;
		}
		GuardedConnection connection = new GuardedConnection(this.headerTimeoutNanos, this.writer);
		pipeline.addBefore(NettyPipeline.HttpCodec, DEADLINE_HANDLER, connection.bytes);
		pipeline.addAfter(NettyPipeline.HttpCodec, FRAMING_HANDLER, connection.messages);
	}

	/** Why a request's framing is refused, or {@code null}. */
	static String framingRejection(HttpRequest request) {
		List<String> encodings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
		if (encodings.isEmpty()) {
			return null;
		}
		if (encodings.size() != 1 || !HttpHeaderValues.CHUNKED.contentEqualsIgnoreCase(encodings.get(0).trim())) {
			return "unsupported Transfer-Encoding";
		}
		return null;
	}

	/**
	 * Why Netty's decoder refused a request, for the failures it reports as a malformed
	 * request (framing, header syntax); {@code null} for over-long request lines and
	 * headers, which Reactor Netty answers 414 and 431.
	 */
	static String decoderRejection(Throwable cause) {
		if (cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException) {
			return null;
		}
		return "malformed request";
	}

}
