package dev.tollgate.app;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** BlockHound is installed in this module's test JVMs: the other tests would fail on a blocking call. */
class BlockHoundActiveIT {

	@Test
	void blockingCallWhenOnAParallelSchedulerThreadThenReportedAsAnError() {
		Throwable thrown = catchThrowable(() -> Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10)));

		assertThat(Exceptions.unwrap(thrown)).isInstanceOf(BlockingOperationError.class)
			.hasMessageContaining("java.lang.Thread.sleep");
		// reported to NoBlockingCalls too, which would fail this test: taken out of its list
		assertThat(TollgateBlockHoundIntegration.drain()).singleElement()
			.extracting(BlockingOperationError::getMessage)
			.asString()
			.contains("java.lang.Thread.sleep");
	}

	@Test
	void blockingCallWhenOnAThreadOfItsOwnThenAllowed() throws InterruptedException {
		Thread.sleep(1);

		assertThat(TollgateBlockHoundIntegration.drain()).isEmpty();
	}

}
