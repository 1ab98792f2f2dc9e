package dev.tollgate.routes.login;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.tollgate.routes.login.LoginGuard.Admission;
import dev.tollgate.routes.login.LoginGuard.Result;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of CONTRACT.md, "Login protection", that every {@link LoginGuard} keeps; one
 * subclass per implementation says how to build it.
 */
abstract class LoginGuardContractTests {

	/**
	 * 3 per pair and 6 per address, so that the cases stay short; lock-outs 1, 2, 4
	 * minutes, at most 5.
	 */
	static final LoginLimits LIMITS = new LoginLimits(3, 6, Duration.ofMinutes(15).toMillis(),
			Duration.ofMinutes(1).toMillis(), Duration.ofMinutes(5).toMillis(), Duration.ofSeconds(10).toMillis());

	private static final Duration STEP = Duration.ofSeconds(10);

	final MutableClock clock = MutableClock.startingNow();

	/**
	 * Usernames and addresses of this test alone: the Redis guards of all the cases share
	 * one server.
	 */
	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private LoginGuard guard;

	abstract LoginGuard createGuard(LoginLimits limits, Clock clock);

	@BeforeEach
	void createGuard() {
		this.guard = createGuard(LIMITS, this.clock);
	}

	private final int network = java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 16);

	/**
	 * {@code username} and the last octet of {@code address}, in a network of this test's
	 * own.
	 */
	private LoginAttempt attempt(String username, String address) {
		String host = address.substring(address.lastIndexOf('.') + 1);
		return new LoginAttempt(username + "-" + this.run,
				"10." + (this.network >> 8) + "." + (this.network & 255) + "." + host);
	}

	private Admission admit(LoginAttempt attempt) {
		return this.guard.admit(attempt).block(STEP);
	}

	/** An admitted attempt that ends with {@code result}. */
	private void attemptEndingWith(LoginAttempt attempt, Result result) {
		assertThat(admit(attempt).admitted()).as("admitted").isTrue();
		this.guard.end(attempt, result).block(STEP);
	}

	@Test
	void admitWhenFewerFailuresThanTheLimitThenAdmitted() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.FAILED);

		assertThat(admit(alice)).isEqualTo(Admission.ADMITTED);
	}

	@Test
	void admitWhenPairReachedTheLimitThenLockedForTheFirstLockoutThenAdmittedAgain() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		for (int i = 0; i < 3; i++) {
			attemptEndingWith(alice, Result.FAILED);
		}

		Admission locked = admit(alice);
		assertThat(locked.admitted()).isFalse();
		assertThat(locked.retryAfterMillis()).isEqualTo(Duration.ofMinutes(1).toMillis());
		assertThat(locked.retryAfterSeconds()).isEqualTo(60);

		this.clock.advance(Duration.ofSeconds(59));
		assertThat(admit(alice).retryAfterSeconds()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(admit(alice).admitted()).isTrue();
	}

	@Test
	void admitWhenLockedAgainThenEachLockTwiceAsLongUpToTheMaximum() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		List<Long> lockouts = new java.util.ArrayList<>();
		for (int lock = 0; lock < 5; lock++) {
			for (int i = 0; i < 3; i++) {
				attemptEndingWith(alice, Result.FAILED);
			}
			Admission locked = admit(alice);
			lockouts.add(locked.retryAfterMillis() / 1000);
			this.clock.advance(Duration.ofMillis(locked.retryAfterMillis()));
		}

		assertThat(lockouts).containsExactly(60L, 120L, 240L, 300L, 300L);
	}

	@Test
	void admitWhenPairLockedThenOtherUsernamesFromTheAddressAndTheUsernameFromOtherAddressesAdmitted() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		for (int i = 0; i < 3; i++) {
			attemptEndingWith(alice, Result.FAILED);
		}

		assertThat(admit(alice).admitted()).isFalse();
		assertThat(admit(attempt("bob", "10.0.0.1")).admitted()).isTrue();
		assertThat(admit(attempt("alice", "10.0.0.2")).admitted()).isTrue();
	}

	@Test
	void admitWhenUsernameDiffersOnlyInCaseOrSpacesThenCountedAsOne() {
		attemptEndingWith(attempt("alice", "10.0.0.1"), Result.FAILED);
		attemptEndingWith(attempt("Alice", "10.0.0.1"), Result.FAILED);
		attemptEndingWith(attempt(" ALICE", "10.0.0.1"), Result.FAILED);

		assertThat(admit(attempt("aLiCe", "10.0.0.1")).admitted()).isFalse();
	}

	@Test
	void admitWhenAddressReachedItsLimitOverManyUsernamesThenLockedForEveryUsername() {
		for (int i = 0; i < 6; i++) {
			attemptEndingWith(attempt("user" + i, "10.0.0.9"), Result.FAILED);
		}

		Admission locked = admit(attempt("someone-new", "10.0.0.9"));
		assertThat(locked.admitted()).isFalse();
		assertThat(locked.retryAfterMillis()).isEqualTo(Duration.ofMinutes(1).toMillis());
		assertThat(admit(attempt("someone-new", "10.0.0.10")).admitted()).isTrue();
	}

	@Test
	void endWhenSuccessThenThePairCountResetButNotTheAddressCount() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.SUCCEEDED);
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.FAILED);

		assertThat(admit(alice).admitted()).as("2 failures since the success").isTrue();
		this.guard.end(alice, Result.NOT_COUNTED).block(STEP);

		// the address saw 4 failures + 2 more from others: its limit of 6
		attemptEndingWith(attempt("bob", "10.0.0.1"), Result.FAILED);
		attemptEndingWith(attempt("carol", "10.0.0.1"), Result.FAILED);
		assertThat(admit(attempt("dave", "10.0.0.1")).admitted()).isFalse();
	}

	@Test
	void endWhenOtherResultThenNotCounted() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		for (int i = 0; i < 10; i++) {
			attemptEndingWith(alice, Result.NOT_COUNTED);
		}

		assertThat(admit(alice).admitted()).isTrue();
	}

	@Test
	void admitWhenFailuresOlderThanTheWindowThenForgotten() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.FAILED);
		this.clock.advance(Duration.ofMinutes(15));
		attemptEndingWith(alice, Result.FAILED);
		attemptEndingWith(alice, Result.FAILED);

		assertThat(admit(alice).admitted()).isTrue();
	}

	@Test
	void admitWhenAttemptsInFlightFillTheLimitThenFurtherOnesWaitUntilTheyEnd() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		assertThat(admit(alice).admitted()).isTrue();
		assertThat(admit(alice).admitted()).isTrue();
		assertThat(admit(alice).admitted()).isTrue();

		Admission busy = admit(alice);
		assertThat(busy.admitted()).isFalse();
		assertThat(busy.retryAfterSeconds()).isEqualTo(1);

		this.guard.end(alice, Result.NOT_COUNTED).block(STEP);
		assertThat(admit(alice).admitted()).isTrue();
	}

	@Test
	void admitWhenAttemptsInFlightNeverEndedThenTheyStopCountingAfterTheirTime() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");
		for (int i = 0; i < 3; i++) {
			assertThat(admit(alice).admitted()).isTrue();
		}
		// an instance crashed with three attempts in flight
		this.clock.advance(Duration.ofSeconds(10));

		assertThat(admit(alice).admitted()).isTrue();
	}

	@Test
	void admitWhenManyConcurrentAttemptsOfOnePairThenAtMostTheLimitAdmitted() {
		LoginAttempt alice = attempt("alice", "10.0.0.1");

		List<Admission> admissions = Flux.range(0, 32)
			.parallel(8)
			.runOn(Schedulers.parallel())
			.flatMap((i) -> this.guard.admit(alice))
			.sequential()
			.collectList()
			.block(STEP);

		assertThat(admissions).filteredOn(Admission::admitted).hasSize(3);
	}

	@Test
	void admitWhenNoUsernameOrAddressThenStillCounted() {
		LoginAttempt anonymous = new LoginAttempt(null, null);
		for (int i = 0; i < 3; i++) {
			attemptEndingWith(anonymous, Result.FAILED);
		}

		assertThat(admit(anonymous).admitted()).isFalse();
	}

}
