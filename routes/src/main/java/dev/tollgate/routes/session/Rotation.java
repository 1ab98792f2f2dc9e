package dev.tollgate.routes.session;

import java.util.List;

/**
 * What {@link RefreshTokenStore#rotate} did.
 *
 * @param outcome what happened
 * @param token the successor, for {@code ROTATED} and {@code RETRIED}; otherwise
 * {@code null}
 * @param session the session, when it is known ({@code ROTATED}, {@code RETRIED},
 * {@code REUSED}, {@code BINDING_MISMATCH}, {@code KEY_MISMATCH}); otherwise {@code null}
 * @param bindingMismatches the refresh-binding checks the presenting client failed
 * (audited under the {@code audit} policy, the cause of {@code BINDING_MISMATCH} under
 * {@code enforce}); empty when it matched or nothing is checked
 * @param sessionEnded whether the rotation ended the session: always for {@code REUSED}
 * and {@code BINDING_MISMATCH}, for {@code KEY_MISMATCH} under the {@code enforce}
 * binding policy
 */
public record Rotation(Outcome outcome, IssuedRefreshToken token, Session session, List<String> bindingMismatches,
		boolean sessionEnded) {

	public Rotation {
		bindingMismatches = List.copyOf(bindingMismatches);
	}

	/**
	 * A rotation that ended the session exactly when its outcome always does
	 * ({@code REUSED}, {@code BINDING_MISMATCH}).
	 */
	public Rotation(Outcome outcome, IssuedRefreshToken token, Session session, List<String> bindingMismatches) {
		this(outcome, token, session, bindingMismatches,
				outcome == Outcome.REUSED || outcome == Outcome.BINDING_MISMATCH);
	}

	/** A rotation without binding mismatches. */
	public Rotation(Outcome outcome, IssuedRefreshToken token, Session session) {
		this(outcome, token, session, List.of());
	}

	/** What happened to a presented refresh token. */
	public enum Outcome {

		/** It was current: consumed, and a successor issued. */
		ROTATED,

		/**
		 * It was the immediate predecessor, retried within the grace window or after a
		 * rotation whose answer never reached the client: the same successor again.
		 */
		RETRIED,

		/** It had already been rotated: the session has ended. */
		REUSED,

		/**
		 * It was presented by another client than the one that logged in, under the
		 * {@code enforce} binding policy: not consumed, and the session has ended.
		 */
		BINDING_MISMATCH,

		/**
		 * The session is bound to a DPoP key (RFC 9449 §5) and the refresh carried no
		 * proof, or a proof by another key: not consumed; under the {@code enforce}
		 * binding policy the session has ended too ({@link Rotation#sessionEnded()}).
		 */
		KEY_MISMATCH,

		/**
		 * It is not a token of any live session (never issued, expired, or its session
		 * ended).
		 */
		INVALID

	}

	/** Whether a new access token may be issued. */
	public boolean granted() {
		return this.outcome == Outcome.ROTATED || this.outcome == Outcome.RETRIED;
	}

}
