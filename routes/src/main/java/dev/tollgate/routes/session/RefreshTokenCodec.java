package dev.tollgate.routes.session;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shape and cryptography of refresh tokens, shared by every
 * {@link RefreshTokenStore}. The reasoning, threat by threat, is in
 * {@code docs/sessions.md}.
 * <p>
 * A token is {@code <sessionId>.<secret>}. The session id (128 bits) is not secret: it is
 * the access token's {@code sid} and the Redis hash tag of the session's keys. The secret
 * is base64url (no padding) of 52 bytes:
 * <ul>
 * <li>the <b>generation</b> (4 bytes): 0 for the token issued at login, one more at each
 * rotation;</li>
 * <li>a <b>nonce</b> of 256 bits from one {@link SecureRandom} seeded at start-up: what
 * makes the token a secret. Stores keep only its {@link #hash SHA-256}, and only for the
 * current token and its immediate predecessor;</li>
 * <li>a <b>tag</b>: 128 bits of HMAC-SHA1 under the session's own key, drawn at login and
 * kept with the session, over the session id, the generation and the nonce's hash. Only
 * the gateway and the store could have made a token whose tag verifies, so a token of an
 * earlier generation with a valid tag is a token the session really issued: its return is
 * reuse. A forged or guessed token naming a real session fails the tag and ends nothing.
 * The tag is computed over the nonce's hash, with SHA-1, because the Redis store's
 * rotation script must compute and check it itself ({@code redis.sha1hex} is the one
 * digest Redis offers a script): it checks the tag of every token presented, the current
 * one included, so that each token has exactly one accepted spelling, in one round
 * trip.</li>
 * </ul>
 * Sessions started before the current format have tags of HMAC-SHA256 under the session's
 * key (decoded) over session id, generation and nonce, which only this class can check
 * ({@link #authentic}, with the session's first generation of the current format).
 * <p>
 * The state of a session is therefore the same size after a thousand rotations as after
 * one: no list of spent tokens. The successor handed out at a rotation can be handed out
 * again within the {@code reuse-grace} window without being stored: its nonce is
 * {@link #successor derived} from the predecessor's secret and a random salt, and stores
 * keep the salt (22 characters: every field of a session stays short enough for Redis's
 * compact hash encoding).
 */
public final class RefreshTokenCodec {

	private static final int SESSION_ID_BYTES = 16;

	private static final int GENERATION_BYTES = 4;

	private static final int NONCE_BYTES = 32;

	private static final int TAG_BYTES = TokenMacs.TAG_BYTES;

	private static final int SECRET_BYTES = GENERATION_BYTES + NONCE_BYTES + TAG_BYTES;

	private static final int TAG_KEY_BYTES = 32;

	/** 16 bytes are 22 base64url characters, 52 bytes 70. */
	private static final int SESSION_ID_LENGTH = 22;

	private static final int SECRET_LENGTH = 70;

	private static final int TOKEN_LENGTH = SESSION_ID_LENGTH + 1 + SECRET_LENGTH;

	private static final int SALT_BYTES = 16;

	private static final int SALT_LENGTH = 22;

	/**
	 * The first generation of the current format of a session stored without one: none of
	 * its tokens.
	 */
	public static final int PREVIOUS_FORMAT_ONLY = Integer.MAX_VALUE;

	private final SecureRandom random = new SecureRandom();

	/** A new session id. */
	public String newSessionId() {
		return CanonicalBase64Url.encode(randomBytes(SESSION_ID_BYTES));
	}

	/** A new key for a session's tags, to keep with the session. */
	public String newTagKey() {
		return CanonicalBase64Url.encode(randomBytes(TAG_KEY_BYTES));
	}

	/**
	 * A token of {@code generation} in {@code sessionId}, its nonce freshly drawn; it has
	 * no tag yet.
	 */
	public Draft draft(String sessionId, int generation) {
		return new Draft(sessionId, generation, randomBytes(NONCE_BYTES));
	}

	/** The token to hand out for {@code draft}, tagged under the session's key. */
	public String token(Draft draft, String tagKey) {
		return token(draft, TokenMacs.tag(tagKey, draft.sessionId(), draft.generation(), hash(draft.nonce())));
	}

	/**
	 * The token to hand out for {@code draft} with the tag a store computed for it
	 * (hexadecimal).
	 */
	public String tagged(Draft draft, String tagHex) {
		return token(draft, HexFormat.of().parseHex(tagHex));
	}

	/**
	 * The token of the previous format for {@code draft}: only the successor a session
	 * stored by the previous format handed out before the upgrade, given again to a retry
	 * of its predecessor.
	 */
	public String previousFormatToken(Draft draft, String tagKey) {
		return token(draft, TokenMacs.previousFormatTag(tagKey, draft.sessionId(), draft.generation(), draft.nonce()));
	}

	private static String token(Draft draft, byte[] tag) {
		byte[] secret = ByteBuffer.allocate(SECRET_BYTES)
			.putInt(draft.generation())
			.put(draft.nonce())
			.put(tag)
			.array();
		return draft.sessionId() + "." + CanonicalBase64Url.encode(secret);
	}

	/**
	 * Splits a presented token, or returns {@code null} for anything that is not exactly
	 * a token this codec could have made (wrong length or alphabet, non-canonical
	 * base64url, a negative generation, {@code null}). Says nothing of whether the token
	 * was ever issued. Never throws.
	 */
	public Parsed parse(String token) {
		if (token == null || token.length() != TOKEN_LENGTH || token.charAt(SESSION_ID_LENGTH) != '.') {
			return null;
		}
		String sessionId = token.substring(0, SESSION_ID_LENGTH);
		String secret = token.substring(SESSION_ID_LENGTH + 1);
		byte[] secretBytes = CanonicalBase64Url.decode(secret);
		if (CanonicalBase64Url.decode(sessionId) == null || secretBytes == null) {
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
		return new Parsed(sessionId, generation, nonce, tag, secret);
	}

	/**
	 * Whether {@code token}'s tag is the one its session's key gives it: the session
	 * issued this token, in this spelling. Tokens of a generation below
	 * {@code currentFormatFrom} carry a tag of the previous format.
	 */
	public boolean authentic(Parsed token, String tagKey, int currentFormatFrom) {
		byte[] expected = (token.generation() >= currentFormatFrom)
				? TokenMacs.tag(tagKey, token.sessionId(), token.generation(), hash(token.nonce()))
				: TokenMacs.previousFormatTag(tagKey, token.sessionId(), token.generation(), token.nonce());
		return MessageDigest.isEqual(token.tag(), expected);
	}

	/**
	 * The tag of a presented token in hexadecimal, for a store's script to compare with
	 * the one it computes.
	 */
	public String tagHex(Parsed token) {
		return HexFormat.of().formatHex(token.tag());
	}

	/** The stored form of a nonce: SHA-256, base64url. */
	public String hash(byte[] nonce) {
		return CanonicalBase64Url.encode(TokenMacs.sha256(nonce));
	}

	/**
	 * A fresh salt for {@link #successor}: 128 random bits, base64url (22 characters).
	 */
	public String successorSalt() {
		return CanonicalBase64Url.encode(randomBytes(SALT_BYTES));
	}

	/**
	 * The token that succeeds {@code predecessor} at a rotation: the next generation, its
	 * nonce derived from the predecessor's secret and {@code salt} (HMAC-SHA256). The
	 * store keeps only the salt, so that a retry of the predecessor within the grace
	 * window can be given the same successor again, which only a holder of the
	 * predecessor can derive. The predecessor's secret is its one canonical spelling
	 * ({@link #parse} refuses any other), so a successor depends on the predecessor's
	 * bytes alone. Returns {@code null} when {@code salt} is not one
	 * {@link #successorSalt} makes.
	 */
	public Draft successor(Parsed predecessor, String salt) {
		byte[] saltBytes = (salt != null && salt.length() == SALT_LENGTH) ? CanonicalBase64Url.decode(salt) : null;
		if (saltBytes == null) {
			return null;
		}
		return new Draft(predecessor.sessionId(), predecessor.generation() + 1,
				TokenMacs.successorNonce(predecessor.secret(), predecessor.sessionId(), saltBytes));
	}

	private byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/**
	 * A token being made: its session, generation and nonce, not yet tagged.
	 *
	 * @param sessionId the session
	 * @param generation its generation
	 * @param nonce its 256 random bits
	 */
	public record Draft(String sessionId, int generation, byte[] nonce) {

		@Override
		public String toString() {
			return "Draft[session=" + this.sessionId + ", generation=" + this.generation + "]";
		}

	}

	/**
	 * A presented token that has the right shape (which says nothing of whether it was
	 * ever issued).
	 *
	 * @param sessionId the session it claims
	 * @param generation the generation it claims
	 * @param nonce its nonce
	 * @param tag its tag
	 * @param secret its secret part as presented, from which its successor's nonce is
	 * derived
	 */
	public record Parsed(String sessionId, int generation, byte[] nonce, byte[] tag, String secret) {

		@Override
		public String toString() {
			return "Parsed[session=" + this.sessionId + ", generation=" + this.generation + "]";
		}

	}

}
