package dev.tollgate.token.firewall;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.NettyPipeline;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * HTTP/1.1 framing and read deadlines on every connection of the server, below Spring: what must hold before a
 * request is handed to the gateway, and which no web filter can enforce because by then the bytes are parsed.
 * <ul>
 * <li><b>Transfer-Encoding</b> (RFC 9112 §6.1): a request whose {@code Transfer-Encoding} is anything but
 * exactly one {@code chunked} is answered 400 {@code invalid_request} and its connection closed: servers disagree
 * on such framing, which is how requests are smuggled. A request that Netty's decoder already refused (both
 * {@code Transfer-Encoding} and {@code Content-Length}, a final coding other than {@code chunked}, bad header
 * syntax) is answered the same way; over-long request lines and headers are left to Reactor Netty (414, 431).</li>
 * <li><b>Malformed chunked body</b>: Reactor Netty answers 400 but ends the request body as if it were complete,
 * so the gateway would hand the upstream a cleanly ended request. The connection is closed instead, which makes
 * the body fail: the proxied request is aborted and the upstream never sees it complete.</li>
 * <li><b>Header deadline</b>: a client that started a request must complete its request line and headers within
 * {@code tollgate.http.header-timeout}, or it gets 408 and its connection is closed (slow-header attacks).
 * Idle keep-alive connections are not affected.</li>
 * </ul>
 */
public final class ConnectionGuard implements NettyServerCustomizer {

	private static final Log logger = LogFactory.getLog(ConnectionGuard.class);

	static final String DEADLINE_HANDLER = "tollgate.headerDeadline";

	static final String FRAMING_HANDLER = "tollgate.framingGuard";

	private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
			+ "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

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

	/** Adds the guard around the HTTP/1.1 codec; pipelines without one (HTTP/2) are left alone. */
	void install(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(FRAMING_HANDLER) != null) {
			return;
		}
		Connection connection = new Connection();
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
	 * Why Netty's decoder refused a request, for the failures it reports as a malformed request (framing, header
	 * syntax); {@code null} for over-long request lines and headers, which Reactor Netty answers 414 and 431.
	 */
	static String decoderRejection(Throwable cause) {
		if (cause instanceof TooLongHttpLineException || cause instanceof TooLongHttpHeaderException) {
			return null;
		}
		return "malformed request";
	}

	/** The state of one connection, seen by a handler before the codec (bytes) and one after it (messages). */
	private final class Connection {

		/** Between the first byte of a request and its complete headers. */
		private boolean awaitingHeaders;

		/** The request is in its body: bytes that arrive belong to it, not to a new request. */
		private boolean inBody;

		/** Everything read from now on is discarded: the connection is being closed. */
		private boolean refused;

		/** When the request now awaiting its headers sent its first byte, on the event loop's ticker. */
		private long headersStartedAt;

		/**
		 * The pending deadline check, or {@code null}. It is not cancelled when headers complete: a busy connection
		 * keeps one check pending, which the next requests share, instead of scheduling and cancelling a timer per
		 * request (each costs a priority-queue insertion and removal on the event loop).
		 */
		private ScheduledFuture<?> deadline;

		final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (!Connection.this.awaitingHeaders && !Connection.this.inBody && !Connection.this.refused) {
					Connection.this.awaitingHeaders = true;
					Connection.this.headersStartedAt = ctx.executor().ticker().nanoTime();
					if (Connection.this.deadline == null) {
						scheduleCheck(ctx, ConnectionGuard.this.headerTimeoutNanos);
					}
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) {
				cancelDeadline();
				ctx.fireChannelInactive();
			}

		};

		final ChannelInboundHandlerAdapter messages = new ChannelInboundHandlerAdapter() {

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (Connection.this.refused) {
					ReferenceCountUtil.release(msg);
					return;
				}
				if (msg instanceof HttpRequest request) {
					Connection.this.awaitingHeaders = false;
					Connection.this.inBody = true;
					String rejection = request.decoderResult().isSuccess() ? framingRejection(request)
							: decoderRejection(request.decoderResult().cause());
					if (rejection != null) {
						ReferenceCountUtil.release(msg);
						refuse(ctx, TollgateErrors.invalidRequest(rejection), request.uri());
						return;
					}
				}
				if (msg instanceof HttpContent content) {
					if (content.decoderResult().isFailure()) {
						ReferenceCountUtil.release(msg);
						refuse(ctx, TollgateErrors.invalidRequest("malformed request body"), null);
						return;
					}
					if (content instanceof LastHttpContent) {
						Connection.this.inBody = false;
					}
				}
				ctx.fireChannelRead(msg);
			}

		};

		private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
			this.deadline = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
		}

		/**
		 * The pending check is due: the request awaiting its headers, if any, started no later than the one the
		 * check was scheduled for. It gets 408 if its own deadline passed, or a check at that deadline otherwise; an
		 * idle or busy connection gets none until its next request starts.
		 */
		private void checkDeadline(ChannelHandlerContext ctx) {
			this.deadline = null;
			if (!this.awaitingHeaders || !ctx.channel().isActive()) {
				return;
			}
			long left = ConnectionGuard.this.headerTimeoutNanos - (ctx.executor().ticker().nanoTime() - this.headersStartedAt);
			if (left > 0) {
				scheduleCheck(ctx, left);
			}
			else {
				headersTimedOut(ctx);
			}
		}

		private void headersTimedOut(ChannelHandlerContext ctx) {
			this.refused = true;
			logger.debug("Closing a connection whose request headers were not complete in time");
			ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(ChannelFutureListener.CLOSE);
		}

		/**
		 * Answers {@code error} unless a response is already under way, and closes the connection. Closing before
		 * the request body ended makes that body fail, so whatever was proxied of it is aborted.
		 */
		private void refuse(ChannelHandlerContext ctx, TollgateError error, String uri) {
			this.refused = true;
			if (ChannelOperations.get(ctx.channel()) instanceof HttpServerResponse response
					&& response.hasSentHeaders()) {
				ctx.close();
				return;
			}
			byte[] body = ConnectionGuard.this.writer.body(error, (uri != null) ? uri : "");
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
					HttpResponseStatus.valueOf(error.status().value()), Unpooled.wrappedBuffer(body));
			response.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, ProblemResponseWriter.PROBLEM_JSON.toString())
				.set(HttpHeaderNames.CACHE_CONTROL, "no-store")
				.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
				.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
			ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
		}

		private void cancelDeadline() {
			if (this.deadline != null) {
				this.deadline.cancel(false);
				this.deadline = null;
			}
		}

	}

}
