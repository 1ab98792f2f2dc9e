package dev.tollgate.routes.session.memory;

import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotations;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.TokenStanding;

/**
 * The memory store's rotation as a pure function: from a stored session, the presented
 * token, the presenting client's binding values and the time, the session that follows
 * and the answer. Nothing is changed here; the store puts the result in place of the
 * session it was computed from, or computes again when another request changed it first.
 * The decision is {@code session_rotate.lua}'s: an expired session is dropped; the
 * current token is consumed and its successor issued; the immediate predecessor still
 * retriable gets that successor again; an earlier token of the session ends it (reuse); a
 * token the session never issued in this spelling changes nothing. A session bound to a
 * DPoP key rotates only for a proof by that key ({@link Rotations#keyMatches}), else
 * nothing is consumed. Under the {@code enforce} binding policy, a client that fails a
 * check, or proves no key or another key, ends the session instead of rotating.
 */
final class MemoryRotation {

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	MemoryRotation(RefreshTokenCodec codec, SessionSettings settings) {
		this.codec = codec;
		this.settings = settings;
	}

	/**
	 * The rotation of {@code presented} in {@code stored} at {@code now}.
	 * @param keyThumbprint the key the refresh's DPoP proof was signed with, {@code null}
	 * without a proof
	 * @param next the successor to issue if {@code presented} is current, derived from it
	 * and {@code salt}
	 */
	Step rotate(StoredSession stored, RefreshTokenCodec.Parsed presented, ClientBinding binding, String keyThumbprint,
			long now, RefreshTokenCodec.Draft next, String salt) {
		if (!stored.isLive(now)) {
			return new Step(null, Rotations.invalid(), null);
		}
		TokenStanding standing = stored.standing(this.codec, presented, now, this.settings.reuseGrace().toMillis());
		boolean enforced = this.settings.binding().enforced();
		if (standing.held() && !Rotations.keyMatches(stored.session().keyThumbprint(), keyThumbprint)) {
			return enforced ? new Step(null, Rotations.keyMismatch(stored.session(), true), "dpop_key_mismatch")
					: new Step(stored, Rotations.keyMismatch(stored.session(), false), null);
		}
		List<String> mismatches = standing.held() ? stored.mismatches(binding) : List.of();
		if (enforced && !mismatches.isEmpty()) {
			return new Step(null, Rotations.bindingMismatch(stored.session(), mismatches), "binding_mismatch");
		}
		return switch (standing) {
			case CURRENT -> {
				long expiresAt = Rotations.expiresAt(now, this.settings.ttl().toMillis(), stored.sessionExpiresAt());
				StoredSession rotated = stored.rotatedTo(this.codec.hash(next.nonce()), expiresAt, now,
						this.codec.hash(presented.nonce()), salt);
				yield new Step(rotated, Rotations.rotated(this.codec.token(next, stored.key()), expiresAt,
						stored.session(), mismatches), null);
			}
			case RETRIABLE -> {
				RefreshTokenCodec.Draft successor = this.codec.successor(presented, stored.successor());
				yield new Step(stored, Rotations.retried(this.codec.token(successor, stored.key()),
						stored.currentExpiresAt(), stored.session(), mismatches), null);
			}
			case SPENT -> new Step(null, Rotations.reused(stored.session()), "reuse");
			case FOREIGN -> new Step(stored, Rotations.invalid(), null);
		};
	}

	/**
	 * What a rotation does to a session.
	 *
	 * @param next the session that follows: the same record when nothing changes,
	 * {@code null} when it goes
	 * @param answer the answer to the presenting client
	 * @param ended why the session ends when it goes for a reason to tell ({@code reuse},
	 * {@code binding_mismatch}, {@code dpop_key_mismatch}), {@code null} when it does not
	 * end or merely expired
	 */
	record Step(StoredSession next, Rotation answer, String ended) {
	}

}
