package dev.tollgate.routes.session;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The hashes the refresh-token format rests on (see {@link RefreshTokenCodec}): the tags,
 * 128 bits under the session's own key, which only the gateway and the store hold, so
 * that a tag that verifies proves the session issued the token (the current format, which
 * {@code session_rotate.lua} computes too, and the previous one, of sessions stored
 * before it, which only the gateway can check); the successor's nonce, derived from its
 * predecessor's secret; and the hash a store keeps of a nonce.
 */
final class TokenMacs {

	/** A tag's length in bytes. */
	static final int TAG_BYTES = 16;

	private static final String TAG_LABEL = "tollgate/tag/v2\n";

	private static final byte[] SUCCESSOR_LABEL = "tollgate/successor/v2".getBytes(StandardCharsets.US_ASCII);

	private TokenMacs() {
	}

	/**
	 * The current format: HMAC-SHA1 under the session's key (its base64url text as bytes)
	 * over a label, the session id, the generation in decimal and the nonce's hash, each
	 * on a line of its own; the first 128 bits. {@code session_rotate.lua} computes the
	 * same with {@code redis.sha1hex}.
	 */
	static byte[] tag(String tagKey, String sessionId, int generation, String nonceHash) {
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec(tagKey.getBytes(StandardCharsets.US_ASCII), "HmacSHA1"));
			byte[] message = (TAG_LABEL + sessionId + "\n" + generation + "\n" + nonceHash)
				.getBytes(StandardCharsets.US_ASCII);
			return Arrays.copyOf(mac.doFinal(message), TAG_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA1 is not available", ex);
		}
	}

	/**
	 * The previous format: HMAC-SHA256 under the session's key (decoded) over the session
	 * id, the generation (4 bytes) and the nonce; the first 128 bits.
	 */
	static byte[] previousFormatTag(String tagKey, String sessionId, int generation, byte[] nonce) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(Base64.getUrlDecoder().decode(tagKey), "HmacSHA256"));
			mac.update(sessionId.getBytes(StandardCharsets.US_ASCII));
			mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(generation).array());
			return Arrays.copyOf(mac.doFinal(nonce), TAG_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/**
	 * The nonce of the successor of the token whose secret is {@code predecessorSecret}:
	 * HMAC-SHA256 under that secret (its text) over a label, the session id and
	 * {@code salt}.
	 */
	static byte[] successorNonce(String predecessorSecret, String sessionId, byte[] salt) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(predecessorSecret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
			mac.update(SUCCESSOR_LABEL);
			mac.update(sessionId.getBytes(StandardCharsets.US_ASCII));
			return mac.doFinal(salt);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	/** SHA-256 of {@code bytes}. */
	static byte[] sha256(byte[] bytes) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
