package dev.tollgate.token.dpop;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided nonces (RFC 9449 §8, §9), derived and never stored: a nonce is
 * {@code base64url(window || first 16 bytes of HMAC-SHA256(secret, window))} with
 * {@code window} = epoch second / lifetime as 8 bytes big-endian. Valid for its window
 * and the next one, on every instance that shares the secret, without a store call.
 */
public final class DpopNonces {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	/** 8 bytes of window and 16 of MAC, in base64url. */
	private static final int NONCE_LENGTH = 32;

	private final SecretKeySpec key;

	private final long lifetimeSeconds;

	private final Clock clock;

	private final ThreadLocal<Mac> macs;

	/**
	 * @param secret the HMAC key, the same on every instance (e.g.
	 * {@code SigningKeys.derivedSecret("dpop-nonce")})
	 * @param lifetime how long one window lasts, at least one second
	 * @param clock the time windows are counted by
	 */
	public DpopNonces(byte[] secret, Duration lifetime, Clock clock) {
		if (lifetime.toSeconds() < 1) {
			throw new IllegalArgumentException("a nonce lifetime of at least 1s");
		}
		this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
		this.lifetimeSeconds = lifetime.toSeconds();
		this.clock = clock;
		this.macs = ThreadLocal.withInitial(this::newMac);
		newMac();
	}

	/** The nonce of the current window. */
	public String current() {
		return nonce(window());
	}

	/** Whether {@code nonce} is the nonce of the current or the previous window. */
	public boolean isValid(String nonce) {
		if (nonce == null || nonce.length() != NONCE_LENGTH) {
			return false;
		}
		byte[] bytes;
		try {
			bytes = Base64.getUrlDecoder().decode(nonce);
		}
		catch (IllegalArgumentException ex) {
			return false;
		}
		long window = ByteBuffer.wrap(bytes, 0, 8).getLong();
		long now = window();
		if (window != now && window != now - 1) {
			return false;
		}
		return MessageDigest.isEqual(mac(window), Arrays.copyOfRange(bytes, 8, bytes.length));
	}

	private long window() {
		return this.clock.instant().getEpochSecond() / this.lifetimeSeconds;
	}

	private String nonce(long window) {
		byte[] bytes = ByteBuffer.allocate(24).putLong(window).put(mac(window)).array();
		return BASE64URL.encodeToString(bytes);
	}

	private byte[] mac(long window) {
		byte[] full = this.macs.get().doFinal(ByteBuffer.allocate(8).putLong(window).array());
		return Arrays.copyOf(full, 16);
	}

	private Mac newMac() {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is not available", ex);
		}
	}

}
