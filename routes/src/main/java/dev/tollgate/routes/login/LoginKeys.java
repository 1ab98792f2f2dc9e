package dev.tollgate.routes.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * What the counts are keyed by: the username as the user service most likely compares it (trimmed, lower case, so
 * that {@code Alice} and {@code alice } count as one), and the client address; both hashed (SHA-256, 128 bits,
 * base64url), so that the store holds neither. A login body without a username counts under the empty username.
 */
final class LoginKeys {

	private LoginKeys() {
	}

	static String user(LoginAttempt attempt) {
		String username = (attempt.username() != null) ? attempt.username().trim().toLowerCase(Locale.ROOT) : "";
		return hash(username);
	}

	static String address(LoginAttempt attempt) {
		return hash((attempt.clientIp() != null) ? attempt.clientIp() : "unknown");
	}

	private static String hash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
