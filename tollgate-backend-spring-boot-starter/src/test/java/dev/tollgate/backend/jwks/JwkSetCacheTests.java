package dev.tollgate.backend.jwks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.tollgate.backend.support.JwkSetServer;
import dev.tollgate.backend.support.TestKey;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JwkSetCacheTests {

	private static final TestKey ED = TestKey.ed25519("ed-1");

	private static final TestKey EC = TestKey.es256("ec-1");

	private final JwkSetServer server = new JwkSetServer();

	private final MutableClock clock = MutableClock.startingNow();

	private final JwkSetCache cache = new JwkSetCache(
			new JwkSetFetcher(this.server.uri(), Duration.ofSeconds(2), Duration.ofSeconds(2)), this.clock);

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void findWhenFirstLookupsRaceThenOneFetchServesThemAll() throws Exception {
		this.server.serve(TestKey.jwkSet(ED, EC));
		this.server.hold();
		List<CompletableFuture<VerificationKey>> lookups = new ArrayList<>();
		for (int i = 0; i < 5; i++) {
			lookups.add(this.cache.find((i % 2 == 0) ? "ed-1" : "ec-1"));
		}
		this.server.release();
		for (CompletableFuture<VerificationKey> lookup : lookups) {
			assertThat(lookup.get(5, TimeUnit.SECONDS)).isNotNull();
		}
		assertThat(find("ed-1").algorithm()).isEqualTo("EdDSA");
		assertThat(find("ed-1").publicKey()).isEqualTo(ED.keyPair().getPublic());
		assertThat(find("ec-1").algorithm()).isEqualTo("ES256");
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void findWhenFetchNeededThenAnswersAFutureWithoutWaitingForTheGateway() throws Exception {
		this.server.serve(TestKey.jwkSet(ED));
		this.server.hold();
		long started = System.nanoTime();
		CompletableFuture<VerificationKey> lookup = this.cache.find("ed-1");
		long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.server.requests() == 1);
		assertThat(lookup).isNotDone();
		assertThat(elapsedMillis).as("a WebFlux event loop calls this").isLessThan(1000);
		this.server.release();
		assertThat(lookup.get(5, TimeUnit.SECONDS)).isNotNull();
	}

	@Test
	void findWhenKidUnknownWithinTenSecondsOfLastFetchThenNoFetchAndNoKey() throws Exception {
		this.server.serve(TestKey.jwkSet(ED));
		assertThat(find("ed-1")).isNotNull();
		this.server.serve(TestKey.jwkSet(ED, EC));
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(find("ec-1")).isNull();
		assertThat(find("made-up")).isNull();
		assertThat(this.server.requests()).isEqualTo(1);
	}

	@Test
	void findWhenKidUnknownTenSecondsAfterLastFetchThenFetchesAgainAndFindsIt() throws Exception {
		this.server.serve(TestKey.jwkSet(ED));
		assertThat(find("ed-1")).isNotNull();
		this.server.serve(TestKey.jwkSet(EC, ED));
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(find("ec-1").publicKey()).isEqualTo(EC.keyPair().getPublic());
		assertThat(find("ed-1")).isNotNull();
		assertThat(this.server.requests()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(5));
		assertThat(find("made-up")).isNull();
		assertThat(this.server.requests()).isEqualTo(2);
	}

	@Test
	void findWhenSetOlderThanFiveMinutesThenRefetchedInBackgroundAndRetiredKeyGone() throws Exception {
		this.server.serve(TestKey.jwkSet(ED, EC));
		assertThat(find("ec-1")).isNotNull();
		this.server.serve(TestKey.jwkSet(ED));
		this.clock.advance(Duration.ofMinutes(4));
		assertThat(find("ec-1")).isNotNull();
		assertThat(this.server.requests()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(find("ec-1")).as("answered from the set in hand").isNotNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.cache.keyIds().contains("ec-1"));
		assertThat(this.server.requests()).isEqualTo(2);
		assertThat(this.cache.keyIds()).containsExactly("ed-1");
	}

	@Test
	void findWhenFetchFailsThenLastGoodSetKeptAndUnknownKidHasNoKey() throws Exception {
		this.server.serve(TestKey.jwkSet(ED));
		assertThat(find("ed-1")).isNotNull();
		this.server.fail(503);
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(find("ec-1")).isNull();
		assertThat(this.server.requests()).isEqualTo(2);
		assertThat(find("ed-1")).isNotNull();
		this.server.serve("{\"keys\": not json");
		this.clock.advance(Duration.ofSeconds(11));
		assertThat(find("ec-1")).isNull();
		assertThat(this.server.requests()).isEqualTo(3);
		assertThat(find("ed-1")).isNotNull();
	}

	@Test
	void findWhenEndpointUnreachableThenNoKeyAndNoException() throws Exception {
		this.server.close();
		assertThat(find("ed-1")).isNull();
	}

	@Test
	void findWhenFirstFetchFailedThenRetriedAfterTenSeconds() throws Exception {
		this.server.fail(500);
		assertThat(find("ed-1")).isNull();
		this.server.serve(TestKey.jwkSet(ED));
		assertThat(find("ed-1")).isNull();
		this.clock.advance(Duration.ofSeconds(10));
		assertThat(find("ed-1")).isNotNull();
		assertThat(this.server.requests()).isEqualTo(2);
	}

	private VerificationKey find(String kid) throws Exception {
		return this.cache.find(kid).get(5, TimeUnit.SECONDS);
	}

}
