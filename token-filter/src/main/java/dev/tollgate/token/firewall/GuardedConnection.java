package dev.tollgate.token.firewall;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.channel.ChannelOperations;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The state of one connection guarded by {@link ConnectionGuard}, seen by a handler
 * before the HTTP codec ({@link #bytes}: when a request started) and one after it
 * ({@link #messages}: its framing, its end). Lives on the connection's event loop; not
 * thread-safe.
 */
final class GuardedConnection {

	/** The guard's own log category: this class is its per-connection part. */
	private static final Log logger = LogFactory.getLog(ConnectionGuard.class);

	private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\n"
			+ "Connection: close\r\n\r\n")
		.getBytes(StandardCharsets.US_ASCII);

	private final long headerTimeoutNanos;

	private final ProblemResponseWriter writer;

	/** Between the first byte of a request and its complete headers. */
	private boolean awaitingHeaders;

	/**
	 * The request is in its body: bytes that arrive belong to it, not to a new request.
	 */
	private boolean inBody;

	/** Everything read from now on is discarded: the connection is being closed. */
	private boolean refused;

	/**
	 * When the request now awaiting its headers sent its first byte, on the event loop's
	 * ticker.
	 */
	private long headersStartedAt;

	/**
	 * The pending deadline check, or {@code null}. It is not cancelled when headers
	 * complete: a busy connection keeps one check pending, which the next requests share,
	 * instead of scheduling and cancelling a timer per request (each costs a
	 * priority-queue insertion and removal on the event loop).
	 */
	private ScheduledFuture<?> deadline;

	final ChannelInboundHandlerAdapter bytes = new ChannelInboundHandlerAdapter() {

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			GuardedConnection connection = GuardedConnection.this;
			if (!connection.awaitingHeaders && !connection.inBody && !connection.refused) {
				connection.awaitingHeaders = true;
				connection.headersStartedAt = ctx.executor().ticker().nanoTime();
				if (connection.deadline == null) {
					scheduleCheck(ctx, connection.headerTimeoutNanos);
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
			if (GuardedConnection.this.refused) {
				ReferenceCountUtil.release(msg);
				return;
			}
			if (msg instanceof HttpRequest request) {
				GuardedConnection.this.awaitingHeaders = false;
				GuardedConnection.this.inBody = true;
				String rejection = request.decoderResult().isSuccess() ? ConnectionGuard.framingRejection(request)
						: ConnectionGuard.decoderRejection(request.decoderResult().cause());
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
					GuardedConnection.this.inBody = false;
				}
			}
			ctx.fireChannelRead(msg);
		}

	};

	GuardedConnection(long headerTimeoutNanos, ProblemResponseWriter writer) {
		this.headerTimeoutNanos = headerTimeoutNanos;
		this.writer = writer;
	}

	private void scheduleCheck(ChannelHandlerContext ctx, long delayNanos) {
		this.deadline = ctx.executor().schedule(() -> checkDeadline(ctx), delayNanos, TimeUnit.NANOSECONDS);
	}

	/**
	 * The pending check is due: the request awaiting its headers, if any, started no
	 * later than the one the check was scheduled for. It gets 408 if its own deadline
	 * passed, or a check at that deadline otherwise; an idle or busy connection gets none
	 * until its next request starts.
	 */
	private void checkDeadline(ChannelHandlerContext ctx) {
		this.deadline = null;
		if (!this.awaitingHeaders || !ctx.channel().isActive()) {
			return;
		}
		long left = this.headerTimeoutNanos - (ctx.executor().ticker().nanoTime() - this.headersStartedAt);
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
	 * Answers {@code error} unless a response is already under way, and closes the
	 * connection. Closing before the request body ended makes that body fail, so whatever
	 * was proxied of it is aborted.
	 */
	private void refuse(ChannelHandlerContext ctx, TollgateError error, String uri) {
		this.refused = true;
		if (ChannelOperations.get(ctx.channel()) instanceof HttpServerResponse response && response.hasSentHeaders()) {
			ctx.close();
			return;
		}
		byte[] body = this.writer.body(error, (uri != null) ? uri : "");
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
