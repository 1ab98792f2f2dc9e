package dev.tollgate.routes.session;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.store.Session;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RevokedSessionsTests {

	private static final Duration TTL = Duration.ofMinutes(15).plusSeconds(30);

	private final MutableClock clock = MutableClock.startingNow();

	private final RevokedSessions revoked = new RevokedSessions(this.clock, TTL, 1000);

	@Test
	void isRevokedWhenSessionEndedHereThenUntilItsLastAccessTokenExpired() {
		this.revoked.sessionEnded(new Session("s1", "alice", List.of()), "logout");

		assertThat(this.revoked.isRevoked("s1")).isTrue();
		assertThat(this.revoked.isRevoked("s2")).isFalse();
		this.clock.advance(TTL.minusMillis(1));
		assertThat(this.revoked.isRevoked("s1")).isTrue();
		this.clock.advance(Duration.ofMillis(1));
		assertThat(this.revoked.isRevoked("s1")).isFalse();
	}

	@Test
	void revokeWhenToldTwiceThenLaterEndKeptAndPastEndsIgnored() {
		long now = this.clock.millis();
		this.revoked.revoke("s1", now + 10_000);
		this.revoked.revoke("s1", now + 5_000);
		this.revoked.revoke("s2", now);

		this.clock.advance(Duration.ofSeconds(9));
		assertThat(this.revoked.isRevoked("s1")).isTrue();
		assertThat(this.revoked.isRevoked("s2")).isFalse();
		assertThat(this.revoked.size()).isEqualTo(1);
	}

	@Test
	void purgeWhenExpiredThenForgotten() {
		long now = this.clock.millis();
		this.revoked.revoke("s1", now + 1_000);
		this.revoked.revoke("s2", now + 60_000);

		this.clock.advance(Duration.ofSeconds(2));
		this.revoked.purge();

		assertThat(this.revoked.size()).isEqualTo(1);
		assertThat(this.revoked.isRevoked("s2")).isTrue();
	}

	@Test
	void revokeWhenFullThenTheRevocationExpiringSoonestForgotten() {
		long now = this.clock.millis();
		for (int i = 0; i < 1000; i++) {
			this.revoked.revoke("s" + i, now + 10_000 + i);
		}

		this.revoked.revoke("late", now + 60_000);

		assertThat(this.revoked.size()).isEqualTo(1000);
		assertThat(this.revoked.isRevoked("s0")).isFalse();
		assertThat(this.revoked.isRevoked("s1")).isTrue();
		assertThat(this.revoked.isRevoked("late")).isTrue();
	}

}
