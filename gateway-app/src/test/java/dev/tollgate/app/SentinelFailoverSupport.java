package dev.tollgate.app;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tollgate.test.TestRedis;
import dev.tollgate.test.TestRedisSentinel;
import org.awaitility.Awaitility;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * A gateway on Redis Sentinel (1 master, 2 replicas, 3 Sentinels, configured the Spring
 * Boot way) whose master is killed with SIGKILL while refresh chains run. Two replicas,
 * so that the promoted master still has one and {@code wait-replicas: 1} can be met after
 * the fail-over too (the Sentinels re-point the other replica to it).
 * <p>
 * A chain is one session refreshing in a loop, always with the latest token it got a 200
 * for; on 503 it retries the same token (within {@code reuse-grace}, so a rotation made
 * but not acknowledged gives the same successor).
 */
abstract class SentinelFailoverSupport extends SessionITSupport {

	static final int CHAINS = 8;

	/** Each chain must refresh again within this time of the kill. */
	static final Duration RECOVERY = Duration.ofSeconds(15);

	private static final Pattern REFRESH_TOKEN = Pattern.compile("\"refreshToken\":\"([^\"]+)\"");

	static void sentinelProperties(DynamicPropertyRegistry registry, TestRedisSentinel sentinel, int waitReplicas) {
		sentinelProperties(registry, sentinel, waitReplicas, Duration.ofSeconds(30));
	}

	static void sentinelProperties(DynamicPropertyRegistry registry, TestRedisSentinel sentinel, int waitReplicas,
			Duration reuseGrace) {
		gatewayProperties(registry);
		registry.add("spring.data.redis.sentinel.master", () -> TestRedisSentinel.MASTER_NAME);
		registry.add("spring.data.redis.sentinel.nodes", sentinel::sentinelNodes);
		registry.add("tollgate.redis.wait-replicas", () -> Integer.toString(waitReplicas));
		registry.add("tollgate.redis.timeout", () -> "1s");
		registry.add("tollgate.refresh-token.reuse-grace", () -> reuseGrace.toMillis() + "ms");
	}

	/** What happened to one chain. */
	static final class Chain {

		/**
		 * Every token this chain was handed, oldest first: the login's, then each
		 * successor.
		 */
		final List<String> tokens = new CopyOnWriteArrayList<>();

		/**
		 * Status of every refresh answered other than 200 or 503, with the token's
		 * position.
		 */
		final List<String> unexpected = new CopyOnWriteArrayList<>();

		volatile Instant firstOkAfterKill;

		volatile int okAfterKill;

		/** How many refreshes answered 503. */
		volatile int unavailable;

		/** When the latest 503 was answered. */
		volatile Instant lastUnavailableAt;

		/**
		 * Set when the chain's own latest token was refused (401) after the kill: a lost
		 * acknowledged rotation.
		 */
		volatile boolean lost;

		String latest() {
			return this.tokens.get(this.tokens.size() - 1);
		}

	}

	/**
	 * The chains of one run and when the master was killed.
	 *
	 * @param chains the chains
	 * @param killedAt when the master was killed
	 */
	record Run(List<Chain> chains, Instant killedAt) {
	}

	/**
	 * Runs the chains, kills the master after a second, and stops once every chain has
	 * recovered (or gave up).
	 */
	Run runChainsThroughFailover(TestRedisSentinel sentinel) throws InterruptedException {
		return runChains(sentinel, (old, killedAt) -> {
			TestRedis promoted = sentinel.awaitFailover(old, 1, Duration.ofSeconds(20));
			System.out.printf("Sentinel fail-over: master %d killed, %d promoted %d ms later%n", old.port(),
					promoted.port(), Duration.between(killedAt, Instant.now()).toMillis());
		}, RECOVERY.plusSeconds(5));
	}

	/**
	 * What happens after the master was killed, before the chains are awaited to refresh
	 * again.
	 */
	@FunctionalInterface
	interface AfterKill {

		void run(TestRedis killed, Instant killedAt) throws InterruptedException;

	}

	/**
	 * Runs the chains, kills the master once each refreshes, runs {@code afterKill}, then
	 * stops once every chain has refreshed three times after the kill (or gave up),
	 * waiting at most {@code recovery}.
	 */
	Run runChains(TestRedisSentinel sentinel, AfterKill afterKill, Duration recovery) throws InterruptedException {
		List<Chain> chains = new ArrayList<>();
		for (int i = 0; i < CHAINS; i++) {
			Chain chain = new Chain();
			chain.tokens.add((String) login("alice").get("refreshToken"));
			chains.add(chain);
		}
		AtomicBoolean stop = new AtomicBoolean();
		AtomicReference<Instant> killedAt = new AtomicReference<>();
		ExecutorService executor = Executors.newFixedThreadPool(CHAINS);
		try {
			for (Chain chain : chains) {
				executor.execute(() -> {
					while (!stop.get() && !chain.lost) {
						step(chain, killedAt.get());
					}
				});
			}
			Awaitility.await("every chain refreshing before the kill")
				.atMost(Duration.ofSeconds(10))
				.until(() -> chains.stream().allMatch((chain) -> chain.tokens.size() >= 3));
			TestRedis old = sentinel.master();
			killedAt.set(Instant.now());
			old.kill();
			afterKill.run(old, killedAt.get());
			Awaitility.await("every chain refreshing again")
				.atMost(recovery)
				.pollInterval(Duration.ofMillis(100))
				.until(() -> chains.stream().allMatch((chain) -> chain.lost || chain.okAfterKill >= 3));
		}
		finally {
			stop.set(true);
			executor.shutdown();
			executor.awaitTermination(10, TimeUnit.SECONDS);
		}
		Run run = new Run(chains, killedAt.get());
		System.out.printf(
				"%d chains: %d refreshes answered 200, %d answered 503; slowest chain refreshed again %d ms "
						+ "after the kill%n",
				CHAINS, chains.stream().mapToInt((chain) -> chain.tokens.size() - 1).sum(),
				chains.stream().mapToInt((chain) -> chain.unavailable).sum(),
				chains.stream()
					.filter((chain) -> chain.firstOkAfterKill != null)
					.mapToLong((chain) -> Duration.between(run.killedAt(), chain.firstOkAfterKill).toMillis())
					.max()
					.orElse(-1));
		return run;
	}

	private void step(Chain chain, Instant killedAt) {
		String presented = chain.latest();
		EntityExchangeResult<String> result = refresh(presented).expectBody(String.class).returnResult();
		int status = result.getStatus().value();
		Instant now = Instant.now();
		if (status == 200) {
			Matcher token = REFRESH_TOKEN.matcher(result.getResponseBody());
			token.find();
			chain.tokens.add(token.group(1));
			if (killedAt != null && now.isAfter(killedAt)) {
				if (chain.firstOkAfterKill == null) {
					chain.firstOkAfterKill = now;
				}
				chain.okAfterKill++;
			}
		}
		else if (status == 503) {
			chain.unavailable++;
			chain.lastUnavailableAt = now;
			// retry the same token, a little later
			LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
		}
		else {
			chain.unexpected.add(status + " for token #" + (chain.tokens.size() - 1)
					+ (killedAt == null ? " sent before" : " sent after") + " the kill");
			if (status == 401 && killedAt != null) {
				chain.lost = true;
			}
		}
	}

}
