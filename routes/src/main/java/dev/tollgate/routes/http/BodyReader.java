package dev.tollgate.routes.http;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;

/**
 * Reads the body of a request to a Tollgate endpoint into memory, bounded in size and in
 * time: a larger body fails with 413 {@code invalid_request}, one that does not arrive
 * within {@code tollgate.http.body-timeout} with 408 (whose answer closes the
 * connection). Both as a {@code TollgateErrorException}.
 */
public final class BodyReader {

	private final Duration timeout;

	public BodyReader(Duration timeout) {
		this.timeout = timeout;
	}

	/** The whole body, or an empty array when there is none. */
	public Mono<byte[]> read(Flux<DataBuffer> body, int maxBytes) {
		return DataBufferUtils.join(body, maxBytes)
			.map(BodyReader::bytes)
			.defaultIfEmpty(new byte[0])
			.timeout(this.timeout)
			.onErrorMap(DataBufferLimitException.class,
					(ex) -> TollgateErrors.payloadTooLarge("body too large").exception())
			.onErrorMap(TimeoutException.class,
					(ex) -> TollgateErrors.requestTimeout("request body not received in time").exception());
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
