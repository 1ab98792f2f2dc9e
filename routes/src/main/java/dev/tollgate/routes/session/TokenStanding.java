package dev.tollgate.routes.session;

/**
 * What a presented refresh token is to its session: the rules of rotation, written once
 * for the Java side (the memory store's rotation, and logout in both stores). The Redis
 * store's rotation applies the same rules inside {@code session_rotate.lua}.
 * <p>
 * A token counts only in its one canonical spelling: its tag is checked whatever its
 * generation, so that a token with any character changed is not the session's, rotates
 * nothing and ends nothing.
 */
public enum TokenStanding {

	/** The session's current token. */
	CURRENT,

	/**
	 * The immediate predecessor of the current token, which its holder may still present
	 * for the same successor: within {@code reuse-grace} of its rotation, or its
	 * rotation's answer never reached the client (the session is marked
	 * {@code unconfirmed}) and that successor has not been rotated yet.
	 */
	RETRIABLE,

	/** An earlier token of the session, no longer retriable: presenting it is reuse. */
	SPENT,

	/**
	 * Not a token this session issued, in this spelling (forged, guessed, altered, or of
	 * a later generation).
	 */
	FOREIGN;

	/**
	 * The standing of {@code token} in a live session whose token state is
	 * {@code session}.
	 */
	public static TokenStanding of(RefreshTokenCodec codec, RefreshTokenCodec.Parsed token, State session, long now,
			long graceMillis) {
		if (token.generation() > session.generation()
				|| !codec.authentic(token, session.key(), session.currentFormatFrom())) {
			return FOREIGN;
		}
		String hash = codec.hash(token.nonce());
		if (token.generation() == session.generation()) {
			return hash.equals(session.current()) ? CURRENT : FOREIGN;
		}
		boolean predecessor = token.generation() == session.generation() - 1 && hash.equals(session.previous());
		boolean retriable = predecessor && ((graceMillis > 0 && now - session.rotatedAt() < graceMillis)
				|| session.unconfirmed() == session.generation());
		return retriable ? RETRIABLE : SPENT;
	}

	/**
	 * Whether its holder is the session's legitimate client: the current token, or a
	 * predecessor it may retry.
	 */
	public boolean held() {
		return this == CURRENT || this == RETRIABLE;
	}

	/**
	 * What decides a token's standing in a session.
	 *
	 * @param generation the current token's generation
	 * @param current the hash of the current token's nonce
	 * @param previous the hash of its predecessor's nonce, or {@code null} before the
	 * first rotation
	 * @param rotatedAt when the predecessor was rotated (epoch ms)
	 * @param unconfirmed the generation made by a rotation whose answer was lost, or -1
	 * @param key the session's tag key
	 * @param currentFormatFrom the first generation whose tag is of the current format
	 * ({@link RefreshTokenCodec#PREVIOUS_FORMAT_ONLY} for a session stored by the
	 * previous format)
	 */
	public record State(int generation, String current, String previous, long rotatedAt, int unconfirmed, String key,
			int currentFormatFrom) {

		@Override
		public String toString() {
			return "State[generation=" + this.generation + "]";
		}

	}

}
