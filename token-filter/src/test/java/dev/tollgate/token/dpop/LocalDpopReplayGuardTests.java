package dev.tollgate.token.dpop;

import java.time.Duration;
import java.time.Instant;

import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class LocalDpopReplayGuardTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

	private final MutableClock clock = MutableClock.at(NOW);

	private final LocalDpopReplayGuard guard = new LocalDpopReplayGuard(Duration.ofSeconds(70), 1000, this.clock);

	@Test
	void firstUseWhenNewThenTrueAndWhenRepeatedThenFalse() {
		DpopProof proof = new DpopProof("k".repeat(43), "jti-1", NOW);
		StepVerifier.create(this.guard.firstUse(proof)).expectNext(true).verifyComplete();
		StepVerifier.create(this.guard.firstUse(proof)).expectNext(false).verifyComplete();
		StepVerifier.create(this.guard.firstUse(new DpopProof("k".repeat(43), "jti-1", NOW.plusSeconds(1))))
			.as("the iat is not part of the key")
			.expectNext(false)
			.verifyComplete();
	}

	@Test
	void firstUseWhenSameJtiOfAnotherKeyThenFirstUse() {
		assertThat(this.guard.firstUseNow(new DpopProof("a".repeat(43), "jti-1", NOW))).isTrue();
		assertThat(this.guard.firstUseNow(new DpopProof("b".repeat(43), "jti-1", NOW))).isTrue();
	}

	@Test
	void firstUseWhenReplayedJustBeforeTtlThenRefusedAndAfterTtlThenForgotten() {
		DpopProof proof = new DpopProof("k".repeat(43), "jti-2", NOW);
		assertThat(this.guard.firstUseNow(proof)).isTrue();
		this.clock.advance(Duration.ofSeconds(69));
		assertThat(this.guard.firstUseNow(proof)).isFalse();
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.guard.firstUseNow(proof)).isTrue();
	}

	@Test
	void replayKeyWhenComputedThenFixedLengthAndScopedByKey() {
		String key = new DpopProof("a".repeat(43), "x".repeat(256), NOW).replayKey();
		assertThat(key).hasSize(22).matches("[A-Za-z0-9_-]+");
		assertThat(new DpopProof("b".repeat(43), "x".repeat(256), NOW).replayKey()).isNotEqualTo(key);
		assertThat(new DpopProof("a".repeat(43), "x".repeat(256), NOW.plusSeconds(5)).replayKey()).isEqualTo(key);
	}

}
