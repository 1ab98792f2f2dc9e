package dev.tollgate.routes.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The shape and cryptography of refresh tokens, shared by every {@link RefreshTokenStore}. The reasoning, threat by
 * threat, is in {@code docs/sessions.md}.
 * <p>
 * A token is {@code <familyId>.<secret>}. The family id (128 bits) is not secret: it is the access token's
 * {@code sid} and the Redis hash tag of the session's keys. The secret is base64url (no padding) of 52 bytes:
 * <ul>
 * <li>the <b>generation</b> (4 bytes): 0 for the token issued at login, one more at each rotation;</li>
 * <li>a <b>nonce</b> of 256 bits from one {@link SecureRandom} seeded at start-up: what makes the token a secret.
 * Stores keep only its {@link #hash SHA-256}, and only for the current token and its immediate predecessor;</li>
 * <li>a <b>tag</b> (128 bits of HMAC-SHA256 over family id, generation and nonce) under the session's own key,
 * drawn at login and kept with the session. Only the gateway could have made a token whose tag verifies, so a token
 * of an earlier generation with a valid tag is a token the session really issued: its return is reuse. A forged or
 * guessed token naming a real session fails the tag and ends nothing.</li>
 * </ul>
 * The state of a session is therefore the same size after a thousand rotations as after one: no list of spent
 * tokens. The successor handed out at a rotation can be handed out again within the {@code reuse-grace} window
 * without being stored: its nonce is {@link #successor derived} from the predecessor's secret and a random salt, and
 * stores keep the salt (22 characters: every field of a session stays short enough for Redis's compact hash
 * encoding).
 */
public final class RefreshTokenCodec {

	private static final int FAMILY_ID_BYTES = 16;

	private static final int GENERATION_BYTES = 4;

	private static final int NONCE_BYTES = 32;

	private static final int TAG_BYTES = 16;

	private static final int SECRET_BYTES = GENERATION_BYTES + NONCE_BYTES + TAG_BYTES;

	private static final int FAMILY_KEY_BYTES = 32;

	/** 16 bytes are 22 base64url characters, 52 bytes 70. */
	private static final int FAMILY_ID_LENGTH = 22;

	private static final int SECRET_LENGTH = 70;

	private static final int TOKEN_LENGTH = FAMILY_ID_LENGTH + 1 + SECRET_LENGTH;

	private static final int SALT_BYTES = 16;

	private static final int SALT_LENGTH = 22;

	private static final byte[] SUCCESSOR_LABEL = "tollgate/successor/v2".getBytes(StandardCharsets.US_ASCII);

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private final SecureRandom random = new SecureRandom();

	/** A new family (session) id. */
	public String newFamilyId() {
		return encode(randomBytes(FAMILY_ID_BYTES));
	}

	/** A new key for a session's tags, to keep with the session. */
	public String newFamilyKey() {
		return encode(randomBytes(FAMILY_KEY_BYTES));
	}

	/** A token of {@code generation} in {@code familyId}, its nonce freshly drawn; it has no tag yet. */
	public Draft draft(String familyId, int generation) {
		return new Draft(familyId, generation, randomBytes(NONCE_BYTES));
	}

	/** The token to hand out for {@code draft}, tagged under the session's key. */
	public String token(Draft draft, String familyKey) {
		byte[] secret = ByteBuffer.allocate(SECRET_BYTES)
			.putInt(draft.generation())
			.put(draft.nonce())
			.put(tag(familyKey, draft.familyId(), draft.generation(), draft.nonce()))
			.array();
		return draft.familyId() + "." + encode(secret);
	}

	/**
	 * Splits a presented token, or returns {@code null} for anything that is not exactly a token this codec could
	 * have made (wrong length or alphabet, non-canonical base64url, a negative generation, {@code null}). Says nothing
	 * of whether the token was ever issued. Never throws.
	 */
	public Parsed parse(String token) {
		if (token == null || token.length() != TOKEN_LENGTH || token.charAt(FAMILY_ID_LENGTH) != '.') {
			return null;
		}
		String familyId = token.substring(0, FAMILY_ID_LENGTH);
		String secret = token.substring(FAMILY_ID_LENGTH + 1);
		byte[] secretBytes = decodeCanonical(secret);
		if (decodeCanonical(familyId) == null || secretBytes == null) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(secretBytes);
		int generation = buffer.getInt();
		if (generation < 0) {
			return null;
		}
		byte[] nonce = new byte[NONCE_BYTES];
		byte[] tag = new byte[TAG_BYTES];
		buffer.get(nonce).get(tag);
		return new Parsed(familyId, generation, nonce, tag, secret);
	}

	/** Whether {@code token}'s tag is the one its session's key gives it: the session issued this token. */
	public boolean authentic(Parsed token, String familyKey) {
		return MessageDigest.isEqual(token.tag(), tag(familyKey, token.familyId(), token.generation(), token.nonce()));
	}

	/** The stored form of a nonce: SHA-256, base64url. */
	public String hash(byte[] nonce) {
		return encode(sha256().digest(nonce));
	}

	/** A fresh salt for {@link #successor}: 128 random bits, base64url (22 characters). */
	public String successorSalt() {
		return encode(randomBytes(SALT_BYTES));
	}

	/**
	 * The token that succeeds {@code predecessor} at a rotation: the next generation, its nonce derived from the
	 * predecessor's secret and {@code salt} (HMAC-SHA256). The store keeps only the salt, so that a retry of the
	 * predecessor within the grace window can be given the same successor again, which only a holder of the
	 * predecessor can derive. Returns {@code null} when {@code salt} is not one {@link #successorSalt} makes.
	 */
	public Draft successor(Parsed predecessor, String salt) {
		byte[] saltBytes = (salt != null && salt.length() == SALT_LENGTH) ? decodeCanonical(salt) : null;
		if (saltBytes == null) {
			return null;
		}
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(predecessor.secret().getBytes(StandardCharsets.US_ASCII), "HmacSHA256"));
			mac.update(SUCCESSOR_LABEL);
			mac.update(predecessor.familyId().getBytes(StandardCharsets.US_ASCII));
			return new Draft(predecessor.familyId(), predecessor.generation() + 1, mac.doFinal(saltBytes));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private static byte[] tag(String familyKey, String familyId, int generation, byte[] nonce) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(DECODER.decode(familyKey), "HmacSHA256"));
			mac.update(familyId.getBytes(StandardCharsets.US_ASCII));
			mac.update(ByteBuffer.allocate(GENERATION_BYTES).putInt(generation).array());
			return Arrays.copyOf(mac.doFinal(nonce), TAG_BYTES);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

	private byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/** The bytes of base64url text, or {@code null} unless it is canonical: one token, one spelling. */
	private static byte[] decodeCanonical(String base64url) {
		byte[] bytes = decode(base64url);
		return (bytes != null && encode(bytes).equals(base64url)) ? bytes : null;
	}

	private static byte[] decode(String base64url) {
		try {
			return DECODER.decode(base64url);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
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
	 * A token being made: its family, generation and nonce, not yet tagged.
	 *
	 * @param familyId the family
	 * @param generation its generation
	 * @param nonce its 256 random bits
	 */
	public record Draft(String familyId, int generation, byte[] nonce) {

		@Override
		public String toString() {
			return "Draft[family=" + this.familyId + ", generation=" + this.generation + "]";
		}

	}

	/**
	 * A presented token that has the right shape (which says nothing of whether it was ever issued).
	 *
	 * @param familyId the family it claims
	 * @param generation the generation it claims
	 * @param nonce its nonce
	 * @param tag its tag
	 * @param secret its secret part as presented, from which its successor's nonce is derived
	 */
	public record Parsed(String familyId, int generation, byte[] nonce, byte[] tag, String secret) {

		@Override
		public String toString() {
			return "Parsed[family=" + this.familyId + ", generation=" + this.generation + "]";
		}

	}

}
