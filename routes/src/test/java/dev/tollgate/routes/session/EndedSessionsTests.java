package dev.tollgate.routes.session;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EndedSessionsTests {

	private static final Duration TTL = Duration.ofMinutes(15).plusSeconds(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final EndedSessions revoked = new EndedSessions(this.clock, TTL);

	@Test
	void isRevokedWhenSessionEndedHereThenUntilItsLastAccessTokenExpired() {
		this.revoked.sessionEnded(new Session("s1", "alice", List.of()), "logout");

		assertThat(this.revoked.isRevoked("s1")).isTrue();
		assertThat(this.revoked.isRevoked("s2")).isFalse();
		this.clock.advance(TTL.minusMillis(1));
		assertThat(this.revoked.isRevoked("s1")).isTrue();
		// kept to the next whole second at most, never less than the access tokens'
		// lifetime
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.revoked.isRevoked("s1")).isFalse();
	}

	@Test
	void addWhenToldTwiceThenLaterEndKeptAndPastEndsIgnored() {
		long now = this.clock.millis();
		this.revoked.add("s1", now + 10_000);
		this.revoked.add("s1", now + 5_000);
		this.revoked.add("s2", now);

		this.clock.advance(Duration.ofSeconds(9));
		assertThat(this.revoked.isRevoked("s1")).isTrue();
		assertThat(this.revoked.isRevoked("s2")).isFalse();
		assertThat(this.revoked.size()).isEqualTo(1);
	}

	@Test
	void purgeWhenExpiredThenForgotten() {
		long now = this.clock.millis();
		this.revoked.add("s1", now + 1_000);
		this.revoked.add("s2", now + 60_000);

		this.clock.advance(Duration.ofSeconds(2));
		this.revoked.purge();

		assertThat(this.revoked.size()).isEqualTo(1);
		assertThat(this.revoked.isRevoked("s2")).isTrue();
	}

	@Test
	void addWhenManySessionsEndedWithinOneLifetimeThenNoneForgottenBeforeItsEnd() {
		// one user logging in past max-sessions-per-user over and over: every login ends
		// a session
		List<String> ended = new ArrayList<>();
		for (int i = 0; i < 200_000; i++) {
			String sessionId = sessionId();
			ended.add(sessionId);
			this.revoked.sessionEnded(new Session(sessionId, "mallory", List.of()), "max_sessions");
			if (i % 20_000 == 0) {
				this.clock.advance(Duration.ofSeconds(31));
			}
		}

		assertThat(ended).allMatch(this.revoked::isRevoked);
		assertThat(this.revoked.size()).isEqualTo(ended.size());
		assertThat(this.revoked.capacity()).as("slots of 12 bytes, at most half full")
			.isLessThanOrEqualTo(4 * ended.size());
	}

	@Test
	void addWhenTheLifetimeHasPassedThenMemoryGivenBack() {
		for (int i = 0; i < 50_000; i++) {
			this.revoked.add(sessionId(), this.clock.millis() + 60_000);
		}
		int full = this.revoked.capacity();

		this.clock.advance(Duration.ofMinutes(2));
		String late = sessionId();
		this.revoked.sessionEnded(new Session(late, "alice", List.of()), "logout");

		assertThat(this.revoked.size()).isEqualTo(1);
		assertThat(this.revoked.capacity()).isLessThan(full / 100);
		assertThat(this.revoked.isRevoked(late)).isTrue();
	}

	@Test
	void isRevokedWhenReadWhileAnotherThreadRevokesThenEveryPublishedRevocationSeen() throws Exception {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 100_000; i++) {
			ids.add(sessionId());
		}
		AtomicBoolean done = new AtomicBoolean();
		CountDownLatch started = new CountDownLatch(1);
		ExecutorService readers = Executors.newFixedThreadPool(2);
		try {
			List<Future<Integer>> misses = new ArrayList<>();
			for (int r = 0; r < 2; r++) {
				misses.add(readers.submit(() -> {
					started.await();
					int missed = 0;
					while (!done.get()) {
						// the lowest index published so far is always visible, whatever
						// resize happens meanwhile
						missed += this.revoked.isRevoked(ids.get(0)) ? 0 : 1;
					}
					return missed;
				}));
			}
			this.revoked.add(ids.get(0), this.clock.millis() + 60_000);
			started.countDown();
			for (String id : ids) {
				this.revoked.add(id, this.clock.millis() + 60_000);
			}
			done.set(true);
			for (Future<Integer> missed : misses) {
				assertThat(missed.get(10, TimeUnit.SECONDS)).isZero();
			}
		}
		finally {
			readers.shutdownNow();
		}
		assertThat(ids).allMatch(this.revoked::isRevoked);
	}

	private static String sessionId() {
		// the shape of a real session id: 22 base64url characters of random bits
		UUID uuid = UUID.randomUUID();
		return java.util.Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(java.nio.ByteBuffer.allocate(16)
				.putLong(uuid.getMostSignificantBits())
				.putLong(uuid.getLeastSignificantBits())
				.array());
	}

}
