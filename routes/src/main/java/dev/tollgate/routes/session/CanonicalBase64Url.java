package dev.tollgate.routes.session;

import java.util.Base64;

/**
 * Base64url without padding, read only in its canonical spelling: one value, one text.
 */
final class CanonicalBase64Url {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private CanonicalBase64Url() {
	}

	static String encode(byte[] bytes) {
		return ENCODER.encodeToString(bytes);
	}

	/**
	 * The bytes of {@code text}, or {@code null} unless it is base64url in its canonical
	 * spelling.
	 */
	static byte[] decode(String text) {
		byte[] bytes;
		try {
			bytes = DECODER.decode(text);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
		return encode(bytes).equals(text) ? bytes : null;
	}

}
