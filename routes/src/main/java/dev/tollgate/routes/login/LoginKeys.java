package dev.tollgate.routes.login;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.util.Base64;
import java.util.Locale;

import dev.tollgate.routes.client.IpAddresses;

/**
 * What the counts are keyed by: the username as a user service most likely compares it,
 * and the client's network; both hashed (SHA-256, 128 bits, base64url), so that the store
 * holds neither. A username is NFKC-normalised, then case-folded, then stripped of white
 * space, so that {@code Alice}, {@code alice\u00A0}, a full-width {@code ａｌｉｃｅ} and
 * {@code STRASSE} / {@code straße} each count as one name and not as budgets of their
 * own. An IPv6 client counts by its /64 (one host's share: it picks any address in it at
 * will), an IPv4 client by its address, an IPv4-mapped IPv6 address as the IPv4 one. A
 * login body without a username counts under the empty username.
 */
final class LoginKeys {

	/** The bits of an IPv4 and of an IPv6 address that name one client. */
	private static final int IPV4_BITS = 32;

	private static final int IPV6_BITS = 64;

	private LoginKeys() {
	}

	static String user(LoginAttempt attempt) {
		return hash((attempt.username() != null) ? normalize(attempt.username()) : "");
	}

	static String address(LoginAttempt attempt) {
		String network = IpAddresses.network(attempt.clientIp(), IPV4_BITS, IPV6_BITS);
		return hash((network != null) ? network : "unknown");
	}

	/**
	 * NFKC first (it turns full-width letters, ligatures, U+00A0 and U+3000 into their
	 * plain forms), then full case folding, then the white space at either end. Folding
	 * is lower, upper, then lower case: upper case expands {@code ß} to {@code SS}, and
	 * the lower case before it turns a capital {@code ẞ} into {@code ß} first (upper case
	 * keeps {@code ẞ} as it is), so that all three meet as {@code ss}.
	 */
	static String normalize(String username) {
		String compatible = Normalizer.normalize(username, Normalizer.Form.NFKC);
		return compatible.toLowerCase(Locale.ROOT).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT).strip();
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
