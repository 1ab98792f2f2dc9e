package dev.tollgate.app;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Redis alive but stalled ({@code DEBUG SLEEP 4}) under mixed load: refreshes answer 503
 * within the command timeout (1 s here) instead of queueing behind the stall, access
 * checks answer 200 as fast as before (they need no store), and refresh recovers by
 * itself once Redis wakes up. The figures are printed.
 */
class RedisStallIT extends SessionITSupport {

	private static final Duration STALL = Duration.ofSeconds(4);

	/**
	 * The command timeout (1 s) plus slack for a busy machine, and well below the stall
	 * itself.
	 */
	private static final Duration ANSWER_WITHIN = Duration.ofMillis(2500);

	private static final Duration RECOVERED_WITHIN = Duration.ofSeconds(3);

	/** Access calls before the stall that make the baseline. */
	private static final int BASELINE_CALLS = 500;

	/**
	 * Fresh sessions for refresh workers whose chain ends with a 503 (that rotation may
	 * have happened or not).
	 */
	private static final int SPARE_SESSIONS = 40;

	private static final int ACCESS_WORKERS = 2;

	private static final int REFRESH_WORKERS = 2;

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
	}

	/**
	 * The default 5 s is too tight for a cold first login on a busy machine; the bounds
	 * that matter are asserted.
	 */
	@BeforeEach
	void patientClient() {
		this.client = this.client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
	}

	@Test
	void storeWhenRedisStallsUnderLoadThenRefresh503WithinTimeoutAccessUnaffectedAndRefreshRecovers() throws Exception {
		Object accessToken = login("alice").get("accessToken");
		Queue<Object> spares = new ConcurrentLinkedQueue<>();
		for (int i = 0; i < SPARE_SESSIONS; i++) {
			spares.add(login("bob").get("refreshToken"));
		}
		Queue<Call> access = new ConcurrentLinkedQueue<>();
		Queue<Call> refreshes = new ConcurrentLinkedQueue<>();
		AtomicBoolean running = new AtomicBoolean(true);
		ExecutorService workers = Executors.newFixedThreadPool(ACCESS_WORKERS + REFRESH_WORKERS);
		List<Future<?>> load = new ArrayList<>();
		long stallStart;
		long stallEnd;
		try {
			for (int i = 0; i < ACCESS_WORKERS; i++) {
				load.add(workers.submit(() -> {
					while (running.get()) {
						access.add(Call.timed(() -> api(accessToken)));
					}
				}));
			}
			for (int i = 0; i < REFRESH_WORKERS; i++) {
				load.add(workers.submit(() -> refreshChains(spares, refreshes, running)));
			}
			Awaitility.await("baseline access calls")
				.atMost(Duration.ofSeconds(30))
				.until(() -> access.size() >= BASELINE_CALLS && refreshes.size() >= 10);

			stallStart = System.nanoTime();
			assertThat(redis.command("DEBUG", "SLEEP", Long.toString(STALL.toSeconds()))).isEqualTo("OK");
			stallEnd = System.nanoTime();

			Awaitility.await("a refresh answered 200 after the stall")
				.atMost(RECOVERED_WITHIN)
				.pollInterval(Duration.ofMillis(10))
				.until(() -> refreshes.stream().anyMatch((call) -> call.start() > stallEnd && call.status() == 200));
		}
		finally {
			running.set(false);
			workers.shutdown();
			assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).as("load stopped").isTrue();
		}
		for (Future<?> worker : load) {
			worker.get();
		}

		List<Call> accessBefore = between(access, stallStart - STALL.toNanos(), stallStart);
		List<Call> accessDuring = between(access, stallStart, stallEnd);
		List<Call> refreshesDuring = between(refreshes, stallStart, stallEnd);
		long recoveredAt = refreshes.stream()
			.filter((call) -> call.start() > stallEnd && call.status() == 200)
			.mapToLong(Call::end)
			.min()
			.orElseThrow();
		System.out.printf("Redis stalled %d ms (DEBUG SLEEP %d) under load of %d access and %d refresh workers%n",
				millis(stallEnd - stallStart), STALL.toSeconds(), ACCESS_WORKERS, REFRESH_WORKERS);
		System.out.printf("  access before the stall: %d calls, p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
				accessBefore.size(), percentile(accessBefore, 50), percentile(accessBefore, 95),
				percentile(accessBefore, 100));
		System.out.printf("  access during the stall: %d calls, p50 %.1f ms, p95 %.1f ms, max %.1f ms%n",
				accessDuring.size(), percentile(accessDuring, 50), percentile(accessDuring, 95),
				percentile(accessDuring, 100));
		System.out.printf("  refreshes started during the stall: %d, by status %s, slowest answer %.1f ms%n",
				refreshesDuring.size(),
				refreshesDuring.stream()
					.collect(Collectors.groupingBy(Call::status, TreeMap::new, Collectors.counting())),
				percentile(refreshesDuring, 100));
		System.out.printf("  first refresh answered 200 %d ms after Redis woke up%n", millis(recoveredAt - stallEnd));

		assertThat(access).as("access calls, all along").allSatisfy((call) -> assertThat(call.status()).isEqualTo(200));
		assertThat(accessDuring).as("access calls during the stall").hasSizeGreaterThan(50);
		double before = percentile(accessBefore, 95);
		assertThat(percentile(accessDuring, 95)).as("access p95 during the stall, ms")
			.isLessThanOrEqualTo(Math.max(3 * before, before + 50));

		assertThat(refreshes).as("refreshes, all along").allSatisfy((call) -> {
			assertThat(call.status()).isIn(200, 503);
			if (call.status() == 503) {
				assertThat(call.body()).contains("\"error\":\"temporarily_unavailable\"");
				assertThat(Duration.ofNanos(call.end() - call.start())).isLessThan(ANSWER_WITHIN);
			}
		});
		// the server slept from some instant between sending DEBUG SLEEP and its reply
		// minus the sleep: a refresh
		// started and answered within [reply - sleep, send + sleep] had Redis asleep all
		// along
		long surelyAsleep = stallEnd - STALL.toNanos();
		long surelyAwake = stallStart + STALL.toNanos();
		assertThat(refreshesDuring).as("refreshes started and answered while Redis surely slept")
			.filteredOn((call) -> call.start() >= surelyAsleep && call.end() <= surelyAwake)
			.isNotEmpty()
			.allSatisfy((call) -> assertThat(call.status()).isEqualTo(503));
		assertThat(refreshes).as("refreshes started once refresh had recovered")
			.filteredOn((call) -> call.start() > recoveredAt)
			.isNotEmpty()
			.allSatisfy((call) -> assertThat(call.status()).isEqualTo(200));
	}

	/**
	 * Rotates a session's refresh token again and again; after a 503 the store may or may
	 * not have rotated it (the script can run once Redis wakes up), so the chain
	 * continues with a fresh session instead.
	 */
	private void refreshChains(Queue<Object> spares, Queue<Call> calls, AtomicBoolean running) {
		Object token = spares.remove();
		while (running.get()) {
			Object presented = token;
			AtomicReference<Object> successor = new AtomicReference<>();
			Call call = Call.timed(() -> {
				EntityExchangeResult<Map<String, Object>> result = refresh(presented).expectBody(TOKEN_RESPONSE)
					.returnResult();
				Map<String, Object> body = result.getResponseBody();
				successor.set((body != null) ? body.get("refreshToken") : null);
				return result;
			});
			calls.add(call);
			token = (call.status() == 200) ? successor.get() : spares.remove();
		}
	}

	private EntityExchangeResult<String> api(Object accessToken) {
		return this.client.get()
			.uri("/api/orders")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
			.exchange()
			.expectBody(String.class)
			.returnResult();
	}

	private static List<Call> between(Queue<Call> calls, long from, long to) {
		Predicate<Call> started = (call) -> call.start() >= from && call.start() < to;
		return calls.stream().filter(started).sorted(Comparator.comparingLong(Call::nanos)).toList();
	}

	/**
	 * The given percentile of the calls' durations (sorted by duration), in milliseconds.
	 */
	private static double percentile(List<Call> sorted, int percent) {
		assertThat(sorted).as("calls to take a percentile of").isNotEmpty();
		int index = Math.min(sorted.size() - 1, Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.size()) - 1));
		return sorted.get(index).nanos() / 1e6;
	}

	private static long millis(long nanos) {
		return TimeUnit.NANOSECONDS.toMillis(nanos);
	}

	/**
	 * One request: when it started and ended ({@link System#nanoTime()}), its status and
	 * body.
	 */
	private record Call(long start, long end, int status, String body) {

		long nanos() {
			return this.end - this.start;
		}

		static Call timed(Supplier<EntityExchangeResult<?>> request) {
			long start = System.nanoTime();
			EntityExchangeResult<?> result = request.get();
			long end = System.nanoTime();
			byte[] body = result.getResponseBodyContent();
			return new Call(start, end, result.getStatus().value(),
					(body != null) ? new String(body, StandardCharsets.UTF_8) : "");
		}

	}

}
