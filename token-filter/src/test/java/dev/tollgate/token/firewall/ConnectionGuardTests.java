package dev.tollgate.token.firewall;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tollgate.token.error.ProblemResponseWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.netty.NettyPipeline;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The guard on a real Netty HTTP codec, in an embedded channel: what reaches the server,
 * what is answered.
 */
class ConnectionGuardTests {

	private final List<Object> received = new ArrayList<>();

	private final EmbeddedChannel channel = new EmbeddedChannel();

	ConnectionGuardTests() {
		this.channel.freezeTime();
		this.channel.pipeline().addLast(NettyPipeline.HttpCodec, new HttpServerCodec());
		this.channel.pipeline().addLast("server", new ChannelInboundHandlerAdapter() {
			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				ConnectionGuardTests.this.received.add(summary(msg));
				ReferenceCountUtil.release(msg);
			}
		});
		new ConnectionGuard(Duration.ofSeconds(10), new ProblemResponseWriter("tollgate"))
			.install(this.channel.pipeline());
	}

	private static String summary(Object msg) {
		if (msg instanceof HttpRequest request) {
			return "request " + request.uri() + (request.decoderResult().isFailure()
					? " (failed: " + request.decoderResult().cause().getMessage() + ")" : "");
		}
		if (msg instanceof LastHttpContent) {
			return "end";
		}
		return (msg instanceof HttpContent content) ? "content " + content.content().toString(StandardCharsets.US_ASCII)
				: msg.toString();
	}

	private void send(String text) {
		this.channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
	}

	private String answered() {
		StringBuilder out = new StringBuilder();
		for (Object msg; (msg = this.channel.readOutbound()) != null;) {
			out.append(((ByteBuf) msg).toString(StandardCharsets.US_ASCII));
			ReferenceCountUtil.release(msg);
		}
		return out.toString();
	}

	@Test
	void requestWhenChunkedWellFormedThenPassedThroughWhole() {
		send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
		assertThat(this.received).containsExactly("request /a", "content hello", "end");
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(answered()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Transfer-Encoding: xchunked", "Transfer-Encoding: chunked, chunked",
			"Transfer-Encoding: gzip, chunked", "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
			"Transfer-Encoding: chunked\r\nContent-Length: 5", "Transfer-Encoding: chunked, gzip" })
	void requestWhenFramingAmbiguousThen400AndClosedBeforeTheServerSeesIt(String framing) {
		send("POST /a HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
		assertThat(this.received).isEmpty();
		String answer = answered();
		assertThat(answer).startsWith("HTTP/1.1 400 Bad Request")
			.containsIgnoringCase("connection: close")
			.contains("\"error\":\"invalid_request\"");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void requestWhenOverLongHeadersThenLeftToTheServerFor431() {
		send("GET /a HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(10_000) + "\r\n\r\n");
		assertThat(this.received).singleElement().asString().startsWith("request /a (failed: ");
	}

	@Test
	void requestWhenSecondChunkMalformedThenBodyNeverEndsAndConnectionClosed() {
		send("POST /a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n");
		send("ZZ\r\nworld\r\n0\r\n\r\n");
		assertThat(this.received).containsExactly("request /a", "content hello");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void headersWhenIncompleteAfterDeadlineThen408AndClosed() {
		send("GET /a HTTP/1.1\r\nHost: x\r\n");
		this.channel.advanceTimeBy(9, TimeUnit.SECONDS);
		send("X-Trickle: 1\r\n");
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.advanceTimeBy(2, TimeUnit.SECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(answered()).startsWith("HTTP/1.1 408 Request Timeout");
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.received).isEmpty();
	}

	@Test
	void connectionWhenIdleBetweenRequestsThenKeptOpen() {
		send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
		this.channel.advanceTimeBy(60, TimeUnit.SECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		send("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
		assertThat(this.received).containsExactly("request /a", "end", "request /b", "end");
	}

	@Test
	void headersWhenALaterRequestStallsThenItGetsItsOwnFullDeadline() {
		send("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
		this.channel.advanceTimeBy(8, TimeUnit.SECONDS);
		send("GET /b HTTP/1.1\r\nHost: x\r\n");
		// the check that /a's start scheduled is due at 10 s; /b started at 8 s and has
		// until 18 s
		this.channel.advanceTimeBy(9, TimeUnit.SECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(answered()).isEmpty();
		this.channel.advanceTimeBy(2, TimeUnit.SECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(answered()).startsWith("HTTP/1.1 408 Request Timeout");
		assertThat(this.channel.isOpen()).isFalse();
		assertThat(this.received).containsExactly("request /a", "end");
	}

	@Test
	void connectionWhenBusyPastTheDeadlineThenKeptOpen() {
		for (int second = 0; second < 30; second++) {
			send("GET /" + second + " HTTP/1.1\r\nHost: x\r\n\r\n");
			this.channel.advanceTimeBy(1, TimeUnit.SECONDS);
			this.channel.runScheduledPendingTasks();
		}
		assertThat(this.channel.isOpen()).isTrue();
		assertThat(answered()).isEmpty();
		assertThat(this.received).hasSize(60).endsWith("request /29", "end");
	}

}
