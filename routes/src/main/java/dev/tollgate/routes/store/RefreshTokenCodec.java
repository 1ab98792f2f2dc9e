package dev.tollgate.routes.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shape and cryptography of refresh tokens, shared by every {@link RefreshTokenStore}.
 * <p>
 * A token is {@code <familyId>.<secret>}: a 128-bit family id (not secret: it is the access token's
 * {@code sid} and the Redis hash tag of the family's keys) and a 256-bit secret, both base64url without
 * padding, both drawn from one {@link SecureRandom} seeded at start-up. Stores keep only
 * {@link #hash(String) SHA-256} of the secret. The successor handed out at a rotation is kept for the
 * {@code reuse-grace} window only {@link #seal sealed}: AES-256-GCM under a key derived from the presented
 * (predecessor) secret with HMAC-SHA256, so that only a holder of the predecessor can recover it, and a copy
 * of the store's contents gives no usable token.
 */
public final class RefreshTokenCodec {

	private static final int FAMILY_ID_BYTES = 16;

	private static final int SECRET_BYTES = 32;

	private static final int IV_BYTES = 12;

	private static final int TAG_BITS = 128;

	private static final byte[] SUCCESSOR_KEY_LABEL = "tollgate/successor/v1".getBytes(StandardCharsets.US_ASCII);

	/** 16 bytes are 22 base64url characters, 32 bytes 43; the last character carries padding bits. */
	private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecureRandom random = new SecureRandom();

	/** Mints the first token of a new family. */
	public Minted mintFamily() {
		return mint(encode(randomBytes(FAMILY_ID_BYTES)));
	}

	/** Mints a new token of the family {@code familyId}. */
	public Minted mint(String familyId) {
		String secret = encode(randomBytes(SECRET_BYTES));
		return new Minted(familyId, familyId + "." + secret, hash(secret));
	}

	/**
	 * Splits a presented token, or returns {@code null} for anything that is not exactly a token this codec
	 * could have minted (wrong length or alphabet, non-canonical base64url, {@code null}). Never throws.
	 */
	public Parsed parse(String token) {
		if (token == null || !TOKEN.matcher(token).matches()) {
			return null;
		}
		String familyId = token.substring(0, 22);
		String secret = token.substring(23);
		// a last character with non-zero padding bits decodes to the same bytes: one token, one spelling
		if (!isCanonical(familyId) || !isCanonical(secret)) {
			return null;
		}
		return new Parsed(familyId, secret);
	}

	/** The stored form of a secret: SHA-256 of its ASCII text, base64url. */
	public String hash(String secret) {
		return encode(sha256().digest(secret.getBytes(StandardCharsets.US_ASCII)));
	}

	/**
	 * Encrypts {@code successor} so that only a holder of {@code predecessorSecret} can {@link #open} it. The
	 * family id is bound in as associated data. Returns base64url of {@code iv || ciphertext+tag}.
	 */
	public String seal(String predecessorSecret, String familyId, String successor) {
		byte[] iv = randomBytes(IV_BYTES);
		try {
			Cipher cipher = successorCipher(Cipher.ENCRYPT_MODE, predecessorSecret, familyId, iv);
			byte[] sealed = cipher.doFinal(successor.getBytes(StandardCharsets.US_ASCII));
			return encode(ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is not available", ex);
		}
	}

	/** The successor sealed by {@link #seal}, or {@code null} if {@code sealed} is damaged or the key is wrong. */
	public String open(String predecessorSecret, String familyId, String sealed) {
		byte[] bytes;
		try {
			bytes = DECODER.decode(sealed);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		if (bytes.length <= IV_BYTES) {
			return null;
		}
		try {
			Cipher cipher = successorCipher(Cipher.DECRYPT_MODE, predecessorSecret, familyId,
					Arrays.copyOf(bytes, IV_BYTES));
			return new String(cipher.doFinal(bytes, IV_BYTES, bytes.length - IV_BYTES), StandardCharsets.US_ASCII);
		}
		catch (GeneralSecurityException ex) {
			// AEADBadTagException: not sealed under this predecessor, or tampered with
			return null;
		}
	}

	private Cipher successorCipher(int mode, String predecessorSecret, String familyId, byte[] iv)
			throws GeneralSecurityException {
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(predecessorSecret.getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
		byte[] key = mac.doFinal(SUCCESSOR_KEY_LABEL);
		Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
		cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, iv));
		cipher.updateAAD(familyId.getBytes(StandardCharsets.US_ASCII));
		return cipher;
	}

	private byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		this.random.nextBytes(bytes);
		return bytes;
	}

	private static boolean isCanonical(String base64url) {
		return encode(DECODER.decode(base64url)).equals(base64url);
	}

	private static String encode(byte[] bytes) {
		return ENCODER.encodeToString(bytes);
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	/**
	 * A freshly minted token.
	 *
	 * @param familyId the family it belongs to
	 * @param value the token in clear, for the client only
	 * @param hash the stored form of its secret
	 */
	public record Minted(String familyId, String value, String hash) {

		@Override
		public String toString() {
			return "Minted[family=" + this.familyId + "]";
		}

	}

	/**
	 * A presented token that has the right shape (which says nothing of whether it was ever issued).
	 *
	 * @param familyId the family it claims
	 * @param secret its secret part
	 */
	public record Parsed(String familyId, String secret) {

		@Override
		public String toString() {
			return "Parsed[family=" + this.familyId + "]";
		}

	}

}
