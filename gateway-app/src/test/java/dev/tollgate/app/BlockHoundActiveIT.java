package dev.tollgate.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BlockHound is installed in this module's test JVMs: the other tests would fail on a
 * blocking call.
 */
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
	void lockWhenTakenByALibraryItselfThenLetThrough() {
		assertThat(TollgateBlockHoundIntegration
			.isLockOfALibrary(parkedIn("java.util.concurrent.locks.AbstractQueuedSynchronizer",
					"java.util.concurrent.locks.ReentrantLock$Sync", "java.util.concurrent.locks.ReentrantLock",
					"io.lettuce.core.cluster.PooledClusterConnectionProvider")))
			.isTrue();
		assertThat(TollgateBlockHoundIntegration.isLockOfALibrary(parkedIn("java.util.concurrent.locks.StampedLock",
				"io.netty.buffer.AdaptivePoolingAllocator$Magazine")))
			.isTrue();
		assertThat(TollgateBlockHoundIntegration.isLockOfALibrary(parkedIn("java.util.concurrent.locks.ReentrantLock",
				"sun.security.rsa.RSACore", "io.jsonwebtoken.impl.security.AbstractSignatureAlgorithm",
				"dev.tollgate.token.jwt.AccessTokenIssuer")))
			.isTrue();
	}

	@Test
	void lockWhenTakenByTollgateOrWaitingForAResultThenReported() {
		assertThat(TollgateBlockHoundIntegration.isLockOfALibrary(parkedIn(
				"java.util.concurrent.locks.AbstractQueuedSynchronizer", "java.util.concurrent.locks.ReentrantLock",
				"dev.tollgate.routes.session.redis.RedisRefreshTokenStore", "io.lettuce.core.RedisPublisher")))
			.isFalse();
		// a Lettuce synchronous call waits on a future, not on a lock
		assertThat(TollgateBlockHoundIntegration
			.isLockOfALibrary(parkedIn("java.util.concurrent.CompletableFuture$Signaller",
					"java.util.concurrent.CompletableFuture", "io.lettuce.core.LettuceFutures")))
			.isFalse();
		assertThat(TollgateBlockHoundIntegration
			.isLockOfALibrary(parkedIn("java.util.concurrent.locks.AbstractQueuedSynchronizer",
					"java.util.concurrent.CountDownLatch", "io.netty.util.concurrent.DefaultPromise")))
			.isFalse();
	}

	/**
	 * A stack as BlockHound's callback sees it: the callback, BlockHound, the park, then
	 * {@code callers}.
	 */
	private static StackTraceElement[] parkedIn(String... callers) {
		List<StackTraceElement> frames = new ArrayList<>();
		frames.add(frame(TollgateBlockHoundIntegration.class.getName()));
		frames.add(frame("reactor.blockhound.BlockHoundRuntime"));
		frames.add(frame("jdk.internal.misc.Unsafe"));
		frames.add(frame("java.util.concurrent.locks.LockSupport"));
		for (String caller : callers) {
			frames.add(frame(caller));
		}
		frames.add(frame("java.lang.Thread"));
		return frames.toArray(StackTraceElement[]::new);
	}

	private static StackTraceElement frame(String type) {
		return new StackTraceElement(type, "method", null, -1);
	}

	@Test
	void blockingCallWhenOnAThreadOfItsOwnThenAllowed() throws InterruptedException {
		Thread.sleep(1);

		assertThat(TollgateBlockHoundIntegration.drain()).isEmpty();
	}

}
