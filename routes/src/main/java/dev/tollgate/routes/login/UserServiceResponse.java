package dev.tollgate.routes.login;

import java.util.function.Function;

import dev.tollgate.token.error.TollgateErrors;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The login's response as the route writes the user service's answer into it: the answer
 * never reaches the client. A 2xx answer is read whole (at most
 * {@value #MAX_USER_RESPONSE_BYTES} bytes, else 502) and handed to what turns it into the
 * login's answer; any other is drained and becomes the matching refusal
 * ({@link LoginFailures#refusal}). Once the answer is read the login's deadline no longer
 * applies ({@link #answered()}).
 */
final class UserServiceResponse extends ServerHttpResponseDecorator {

	/** Largest user-service answer read; a login answer is a few hundred bytes. */
	static final int MAX_USER_RESPONSE_BYTES = 64 * 1024;

	private final ServerWebExchange exchange;

	private final LoginFailures failures;

	private final Function<byte[], Mono<Void>> onAnswer;

	/** Whether the user service's answer was read whole. */
	private volatile boolean answered;

	/**
	 * @param exchange the login's exchange, whose response this decorates
	 * @param failures how a refused login is answered
	 * @param onAnswer answers the login from the bytes of a 2xx answer
	 */
	UserServiceResponse(ServerWebExchange exchange, LoginFailures failures, Function<byte[], Mono<Void>> onAnswer) {
		super(exchange.getResponse());
		this.exchange = exchange;
		this.failures = failures;
		this.onAnswer = onAnswer;
	}

	/**
	 * Whether the user service's answer was read whole (the login's deadline no longer
	 * applies).
	 */
	boolean answered() {
		return this.answered;
	}

	@Override
	public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
		HttpStatusCode status = getStatusCode();
		if (status == null || !status.is2xxSuccessful()) {
			return Flux.from(body).doOnNext(DataBufferUtils::release).onErrorComplete().then(Mono.defer(() -> {
				this.answered = true;
				return this.failures.fail(this.exchange, LoginFailures.refusal(status));
			}));
		}
		return DataBufferUtils.join(body, MAX_USER_RESPONSE_BYTES)
			.map(UserServiceResponse::bytes)
			.defaultIfEmpty(new byte[0])
			.doOnNext((answer) -> this.answered = true)
			.flatMap(this.onAnswer)
			.onErrorResume(DataBufferLimitException.class, (ex) -> this.failures.fail(this.exchange,
					TollgateErrors.badGateway("user service answer too large")));
	}

	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return writeWith(Flux.from(body).concatMap(Flux::from));
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

}
