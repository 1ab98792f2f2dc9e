package dev.tollgate.routes.observe;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.session.StoreTimer;
import io.lettuce.core.RedisCommandTimeoutException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import reactor.core.publisher.Mono;

/**
 * {@code tollgate.store.operations}: a timer per store operation and outcome
 * ({@code success}, {@code error}, {@code timeout}); the operations are the store's fixed
 * list of names.
 */
public final class MicrometerStoreTimer implements StoreTimer {

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	public MicrometerStoreTimer(MeterRegistry registry) {
		this.registry = registry;
	}

	@Override
	public <T> Mono<T> time(String operation, Mono<T> work) {
		return Mono.defer(() -> {
			long start = System.nanoTime();
			return work.doOnSuccess((value) -> record(operation, "success", start))
				.doOnError((ex) -> record(operation, isTimeout(ex) ? "timeout" : "error", start));
		});
	}

	private static boolean isTimeout(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof RedisCommandTimeoutException) {
				return true;
			}
		}
		return false;
	}

	private void record(String operation, String outcome, long start) {
		this.timers
			.computeIfAbsent(operation + ' ' + outcome,
					(key) -> Timer.builder("tollgate.store.operations")
						.description("Refresh-token store operations, by operation and outcome")
						.tag("operation", operation)
						.tag("outcome", outcome)
						.register(this.registry))
			.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
	}

}
