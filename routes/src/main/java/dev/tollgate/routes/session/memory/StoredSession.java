package dev.tollgate.routes.session.memory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.Rotations;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.TokenStanding;

/**
 * One session as the memory store keeps it, the same fields as the Redis store's hash;
 * immutable, so that a change is a new record put in place of the one it was computed
 * from.
 *
 * @param session user and roles
 * @param createdAt when it started (epoch ms)
 * @param lastRefreshedAt when it was last rotated (epoch ms)
 * @param sessionExpiresAt absolute end of the session (epoch ms)
 * @param generation the current token's generation
 * @param current hash of the current token's nonce
 * @param currentExpiresAt end of the current token (epoch ms); the session is dead after
 * it
 * @param key the session's tag key
 * @param previous hash of the immediate predecessor's nonce, or {@code null} before the
 * first rotation
 * @param rotatedAt when the predecessor was rotated (epoch ms)
 * @param successor the salt from which the current token's nonce was derived (see
 * {@link RefreshTokenCodec#successor})
 * @param binding the refresh-binding check to the keyed hash of the login's value
 */
record StoredSession(Session session, long createdAt, long lastRefreshedAt, long sessionExpiresAt, int generation,
		String current, long currentExpiresAt, String key, String previous, long rotatedAt, String successor,
		Map<String, String> binding) {

	StoredSession {
		binding = Map.copyOf(binding);
	}

	/**
	 * A session that starts at {@code now} with its first token, recording a keyed hash
	 * of each binding value.
	 */
	static StoredSession started(Session session, long now, long sessionExpiresAt, String firstHash,
			long firstExpiresAt, String key, ClientBinding binding) {
		Map<String, String> hashes = new HashMap<>();
		binding.values().forEach((check, value) -> hashes.put(check, Rotations.bindingHash(key, check, value)));
		return new StoredSession(session, now, now, sessionExpiresAt, 0, firstHash, firstExpiresAt, key, null, 0, null,
				hashes);
	}

	/**
	 * The session after a rotation at {@code now} consumed {@code presented}, the current
	 * token.
	 */
	StoredSession rotatedTo(String next, long nextExpiresAt, long now, String presented, String successorSalt) {
		return new StoredSession(this.session, this.createdAt, now, this.sessionExpiresAt, this.generation + 1, next,
				nextExpiresAt, this.key, presented, now, successorSalt, this.binding);
	}

	/** Whether its current token (and so the session) is still alive at {@code now}. */
	boolean isLive(long now) {
		return this.currentExpiresAt > now;
	}

	/**
	 * What {@code token} is to this session: the rules the Redis store's script applies
	 * too. This store cannot lose a rotation's answer (nothing is marked unconfirmed),
	 * and holds no session of the previous format.
	 */
	TokenStanding standing(RefreshTokenCodec codec, RefreshTokenCodec.Parsed token, long now, long graceMillis) {
		TokenStanding.State state = new TokenStanding.State(this.generation, this.current, this.previous,
				this.rotatedAt, -1, this.key, 0);
		return TokenStanding.of(codec, token, state, now, graceMillis);
	}

	/** The checks recorded at login whose value {@code binding} does not match. */
	List<String> mismatches(ClientBinding binding) {
		List<String> failed = new ArrayList<>();
		binding.values().forEach((check, value) -> {
			String recorded = this.binding.get(check);
			if (recorded != null && !recorded.equals(Rotations.bindingHash(this.key, check, value))) {
				failed.add(check);
			}
		});
		return failed;
	}

	/** The session as its user and operators see it. */
	SessionInfo info() {
		return new SessionInfo(this.session.id(), Instant.ofEpochMilli(this.createdAt),
				Instant.ofEpochMilli(this.lastRefreshedAt), Instant.ofEpochMilli(this.currentExpiresAt));
	}

	@Override
	public String toString() {
		return "StoredSession[" + this.session.id() + ", generation=" + this.generation + "]";
	}

}
