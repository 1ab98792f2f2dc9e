package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DpopNoncesTests {

	private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

	private final MutableClock clock = MutableClock.at(Instant.parse("2026-03-01T12:00:00Z"));

	private final DpopNonces nonces = new DpopNonces(SECRET, Duration.ofMinutes(5), this.clock);

	@Test
	void currentWhenCalledTwiceInOneWindowThenSameNonceOfFixedShape() {
		String nonce = this.nonces.current();
		assertThat(nonce).hasSize(32).matches("[A-Za-z0-9_-]+");
		assertThat(this.nonces.current()).isEqualTo(nonce);
		assertThat(this.nonces.isValid(nonce)).isTrue();
	}

	@Test
	void isValidWhenAnotherInstanceWithTheSameSecretThenValid() {
		DpopNonces other = new DpopNonces(SECRET, Duration.ofMinutes(5), this.clock);
		assertThat(other.isValid(this.nonces.current())).isTrue();
	}

	@Test
	void isValidWhenPreviousWindowThenValidAndWhenOlderThenStale() {
		String nonce = this.nonces.current();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.nonces.current()).isNotEqualTo(nonce);
		assertThat(this.nonces.isValid(nonce)).isTrue();
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.nonces.isValid(nonce)).isFalse();
	}

	@Test
	void isValidWhenFutureWindowThenRefused() {
		this.clock.advance(Duration.ofMinutes(10));
		String future = this.nonces.current();
		this.clock.advance(Duration.ofMinutes(-10));
		assertThat(this.nonces.isValid(future)).isFalse();
	}

	@Test
	void isValidWhenAnotherSecretOrGarbageThenRefused() {
		DpopNonces other = new DpopNonces("another secret of 32 bytes......".getBytes(StandardCharsets.US_ASCII),
				Duration.ofMinutes(5), this.clock);
		assertThat(this.nonces.isValid(other.current())).isFalse();
		assertThat(this.nonces.isValid(null)).isFalse();
		assertThat(this.nonces.isValid("")).isFalse();
		assertThat(this.nonces.isValid("!".repeat(32))).isFalse();
		String nonce = this.nonces.current();
		char last = nonce.charAt(31);
		assertThat(this.nonces.isValid(nonce.substring(0, 31) + ((last == 'A') ? 'B' : 'A'))).isFalse();
	}

}
