package dev.tollgate.routes.login;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.routes.login.LoginGuard.Result;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InMemoryLoginGuardTests extends LoginGuardContractTests {

	@Override
	LoginGuard createGuard(LoginLimits limits, Clock clock) {
		return new InMemoryLoginGuard(limits, clock);
	}

	@Test
	void sizeWhenEntriesExpiredThenForgottenAndBoundedUnderAnAddressSpray() {
		InMemoryLoginGuard guard = new InMemoryLoginGuard(LIMITS, this.clock);
		for (int i = 0; i < InMemoryLoginGuard.MAX_ENTRIES / 2 + 10; i++) {
			LoginAttempt attempt = new LoginAttempt("alice",
					"10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
			guard.admit(attempt).block();
			guard.end(attempt, Result.FAILED).block();
		}
		// two entries per address (pair and address), bounded
		assertThat(guard.size()).isLessThanOrEqualTo(InMemoryLoginGuard.MAX_ENTRIES);

		this.clock.advance(Duration.ofMinutes(16));
		LoginAttempt late = new LoginAttempt("bob", "192.0.2.1");
		guard.admit(late).block();
		assertThat(guard.size()).isLessThanOrEqualTo(InMemoryLoginGuard.MAX_ENTRIES);
		assertThat(guard.admit(new LoginAttempt("alice", "10.0.0.1")).block().admitted()).isTrue();
	}

}
