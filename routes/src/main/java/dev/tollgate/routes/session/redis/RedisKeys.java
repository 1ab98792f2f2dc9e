package dev.tollgate.routes.session.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The names the Redis store writes under, which stored sessions and other instances
 * depend on. Every key of a session is built around the hash tag {@code {sessionId}}, so
 * that each script's keys hash to one slot on a Cluster; a user's index is tagged with a
 * hash of the user id, so that any id makes a short key of its own slot.
 */
public final class RedisKeys {

	/**
	 * Where the ends of sessions are published:
	 * {@code <session id> <refused until, epoch ms>}.
	 */
	public static final String SESSION_END_CHANNEL = "tollgate:revocations";

	/**
	 * Pattern of the end markers, for instances that start later (and after a reconnect).
	 */
	public static final String SESSION_END_MARKERS = "tollgate:rt:*:revoked";

	private static final String SESSION_PREFIX = "tollgate:rt:{";

	private RedisKeys() {
	}

	/** The hash holding the session {@code sessionId}. */
	public static String session(String sessionId) {
		return SESSION_PREFIX + sessionId + "}:family";
	}

	/** The marker an ended session leaves until its last access token has expired. */
	public static String endMarker(String sessionId) {
		return SESSION_PREFIX + sessionId + "}:revoked";
	}

	/** The session id an end marker ({@link #SESSION_END_MARKERS}) is of. */
	public static String sessionOfEndMarker(String key) {
		return key.substring(key.indexOf('{') + 1, key.lastIndexOf('}'));
	}

	/**
	 * The replay entry of a DPoP proof (RFC 9449 §11.1), by its replay key (22 base64url
	 * characters of SHA-256 of {@code jkt "." jti}): the whole key is the hash tag, so
	 * that entries spread over a Cluster's slots.
	 */
	public static String dpopReplay(String replayKey) {
		return "tollgate:dpop:{" + replayKey + "}";
	}

	/** The sorted set of the user's session ids (score: when each started). */
	public static String userIndex(String userId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(userId.getBytes(StandardCharsets.UTF_8));
			return "tollgate:user:{" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22)
					+ "}:sessions";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
