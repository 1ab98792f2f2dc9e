package dev.tollgate.app;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/** BlockHound is installed in this module's test JVMs: the other tests would fail on a blocking call. */
class BlockHoundActiveIT {

	@Test
	void blockingCallWhenOnAParallelSchedulerThreadThenReported() {
		Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()).block(Duration.ofSeconds(10));

		// reported to NoBlockingCalls, which would fail this test: taken out of its list
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
