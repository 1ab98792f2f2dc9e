package dev.tollgate.routes.session.redis;

import java.time.Instant;
import java.util.List;

import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.TokenStanding;

/**
 * The fields of a session's hash the store reads outside its scripts ({@code HMGET}), and
 * their decoders: what a logout needs to know of a presented token's session, and what a
 * listing shows.
 */
final class StoredSessionFields {

	/** What decides a token's standing: read at logout. */
	static final List<String> STANDING = List.of("user", "currentExpiresAt", "gen", "current", "previous", "rotatedAt",
			"unconfirmed", "key", "v2");

	/** What a listing shows. */
	static final List<String> LISTING = List.of("user", "createdAt", "lastRefreshedAt", "currentExpiresAt");

	private StoredSessionFields() {
	}

	/** The {@link #STANDING} fields, or {@code null} when the hash does not exist. */
	static Standing standing(List<String> fields) {
		if (fields.get(0) == null) {
			return null;
		}
		TokenStanding.State state = new TokenStanding.State(Integer.parseInt(fields.get(2)), fields.get(3),
				fields.get(4), number(fields.get(5)), (int) number(fields.get(6)), fields.get(7),
				(fields.get(8) != null) ? Integer.parseInt(fields.get(8)) : RefreshTokenCodec.PREVIOUS_FORMAT_ONLY);
		return new Standing(fields.get(0), Long.parseLong(fields.get(1)), state);
	}

	/** The {@link #LISTING} fields, or {@code null} when the hash does not exist. */
	static Listed listed(List<String> fields) {
		if (fields.get(0) == null) {
			return null;
		}
		return new Listed(fields.get(0), Long.parseLong(fields.get(1)), Long.parseLong(fields.get(2)),
				Long.parseLong(fields.get(3)));
	}

	/** A number the session stores, -1 when absent. */
	private static long number(String stored) {
		return (stored != null) ? Long.parseLong(stored) : -1;
	}

	/**
	 * A session as a logout sees it.
	 *
	 * @param userId its user
	 * @param currentExpiresAt when its current token (and so the session) expires, epoch
	 * ms
	 * @param state what decides a presented token's standing
	 */
	record Standing(String userId, long currentExpiresAt, TokenStanding.State state) {
	}

	/**
	 * A session as a listing sees it.
	 *
	 * @param userId its user
	 * @param createdAt when it started, epoch ms
	 * @param lastRefreshedAt when it was last rotated, epoch ms
	 * @param currentExpiresAt when its current token expires, epoch ms
	 */
	record Listed(String userId, long createdAt, long lastRefreshedAt, long currentExpiresAt) {

		SessionInfo info(String sessionId) {
			return new SessionInfo(sessionId, Instant.ofEpochMilli(this.createdAt),
					Instant.ofEpochMilli(this.lastRefreshedAt), Instant.ofEpochMilli(this.currentExpiresAt));
		}

	}

}
