package dev.tollgate.token.jwt;

import java.security.SecureRandom;

/**
 * The validated-token cache's key: the 128-bit output of SipHash-2-4 over the token's
 * characters, under a key drawn when the cache is made (Aumasson and Bernstein, "SipHash:
 * a fast short-input PRF", with its 128-bit variant). Keyed, so a client cannot make a
 * token that shares a fingerprint with someone else's cached token without the key (a
 * second preimage of a 128-bit PRF output), and small: 32 bytes instead of the token's
 * own 400 to 1,000 characters.
 * <p>
 * A character is one byte (a token is ASCII: the {@code Authorization} header's token
 * syntax); a string holding a character above U+00FF has no fingerprint ({@code null}),
 * so that two different strings never share one.
 *
 * @param high the first 64 bits
 * @param low the last 64 bits
 */
record TokenFingerprint(long high, long low) {

	/**
	 * The fingerprint of {@code token}, or {@code null} when it holds a character above
	 * U+00FF.
	 */
	static TokenFingerprint of(String token, Key key) {
		SipState state = new SipState(key);
		int length = token.length();
		int end = length - (length % 8);
		int wide = 0;
		for (int i = 0; i < end; i += 8) {
			long word = 0;
			for (int j = 7; j >= 0; j--) {
				char c = token.charAt(i + j);
				wide |= c;
				word = (word << 8) | (c & 0xFFL);
			}
			state.compress(word);
		}
		long last = ((long) length) << 56;
		for (int i = end; i < length; i++) {
			char c = token.charAt(i);
			wide |= c;
			last |= (c & 0xFFL) << (8 * (i - end));
		}
		if ((wide & 0xFF00) != 0) {
			return null;
		}
		state.compress(last);
		state.v2 ^= 0xee;
		state.rounds(4);
		long high = state.v0 ^ state.v1 ^ state.v2 ^ state.v3;
		state.v1 ^= 0xdd;
		state.rounds(4);
		return new TokenFingerprint(high, state.v0 ^ state.v1 ^ state.v2 ^ state.v3);
	}

	/** A SipHash key of 128 bits, drawn from a {@link SecureRandom}. */
	record Key(long k0, long k1) {

		static Key random() {
			SecureRandom random = new SecureRandom();
			return new Key(random.nextLong(), random.nextLong());
		}

	}

	/**
	 * SipHash's four state words, with its round function (escape analysis keeps them in
	 * registers).
	 */
	private static final class SipState {

		long v0;

		long v1;

		long v2;

		long v3;

		SipState(Key key) {
			this.v0 = 0x736f6d6570736575L ^ key.k0();
			this.v1 = 0x646f72616e646f6dL ^ key.k1() ^ 0xee;
			this.v2 = 0x6c7967656e657261L ^ key.k0();
			this.v3 = 0x7465646279746573L ^ key.k1();
		}

		void compress(long message) {
			this.v3 ^= message;
			rounds(2);
			this.v0 ^= message;
		}

		void rounds(int count) {
			for (int round = 0; round < count; round++) {
				this.v0 += this.v1;
				this.v1 = Long.rotateLeft(this.v1, 13) ^ this.v0;
				this.v0 = Long.rotateLeft(this.v0, 32);
				this.v2 += this.v3;
				this.v3 = Long.rotateLeft(this.v3, 16) ^ this.v2;
				this.v0 += this.v3;
				this.v3 = Long.rotateLeft(this.v3, 21) ^ this.v0;
				this.v2 += this.v1;
				this.v1 = Long.rotateLeft(this.v1, 17) ^ this.v2;
				this.v2 = Long.rotateLeft(this.v2, 32);
			}
		}

	}

}
