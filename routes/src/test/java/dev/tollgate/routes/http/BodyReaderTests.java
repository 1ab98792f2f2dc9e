package dev.tollgate.routes.http;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.tollgate.token.error.TollgateErrorException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;

class BodyReaderTests {

	private final BodyReader reader = new BodyReader(Duration.ofSeconds(1));

	private static DataBuffer buffer(String text) {
		return DefaultDataBufferFactory.sharedInstance.wrap(text.getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void readWhenBodyWithinLimitThenWholeBody() {
		StepVerifier.create(this.reader.read(Flux.just(buffer("{\"a\":"), buffer("1}")), 64))
			.assertNext((bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}"))
			.verifyComplete();
	}

	@Test
	void readWhenNoBodyThenEmpty() {
		StepVerifier.create(this.reader.read(Flux.empty(), 64))
			.assertNext((bytes) -> assertThat(bytes).isEmpty())
			.verifyComplete();
	}

	@Test
	void readWhenBodyOverLimitThen413() {
		StepVerifier.create(this.reader.read(Flux.just(buffer("x".repeat(65))), 64))
			.verifyErrorSatisfies(
					(ex) -> assertThat(((TollgateErrorException) ex).error().status().value()).isEqualTo(413));
	}

	@Test
	void readWhenBodyTricklesPastTimeoutThen408() {
		StepVerifier.withVirtualTime(() -> this.reader.read(Flux.just(buffer("{")).concatWith(Flux.never()), 64))
			.thenAwait(Duration.ofSeconds(2))
			.verifyErrorSatisfies(
					(ex) -> assertThat(((TollgateErrorException) ex).error().status().value()).isEqualTo(408));
	}

}
