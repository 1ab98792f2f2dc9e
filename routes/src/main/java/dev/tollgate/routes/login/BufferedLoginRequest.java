package dev.tollgate.routes.login;

import reactor.core.publisher.Flux;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * The client's login request with its body read ahead (so that the username is known
 * before the user service is called): the same bytes on every subscription (the gateway's
 * {@code Retry} filter resubscribes), sent with a {@code Content-Length}, and without
 * {@code Accept-Encoding} so that the user service's answer is readable here.
 */
final class BufferedLoginRequest extends ServerHttpRequestDecorator {

	private final byte[] body;

	private final DataBufferFactory buffers;

	private final HttpHeaders headers;

	BufferedLoginRequest(ServerHttpRequest request, byte[] body, DataBufferFactory buffers) {
		super(request);
		this.body = body;
		this.buffers = buffers;
		this.headers = new HttpHeaders();
		this.headers.addAll(request.getHeaders());
		this.headers.remove(HttpHeaders.ACCEPT_ENCODING);
		this.headers.remove(HttpHeaders.TRANSFER_ENCODING);
		this.headers.setContentLength(body.length);
	}

	@Override
	public HttpHeaders getHeaders() {
		return this.headers;
	}

	@Override
	public Flux<DataBuffer> getBody() {
		return Flux.defer(() -> Flux.just(this.buffers.wrap(this.body)));
	}

}
