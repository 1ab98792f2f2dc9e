package dev.tollgate.routes.audit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One structured line per security event on the logger {@code tollgate.audit}, as {@code key=value} pairs:
 * {@code event}, {@code user}, {@code family} and, for failures, {@code reason}. Never a token. Every value is
 * {@link #quote quoted}, so that no value (a user id is whatever the user service said) can end the line or
 * forge another field.
 */
public final class AuditLog {

	private static final Log logger = LogFactory.getLog("tollgate.audit");

	/** A login that minted a session. */
	public void loginSucceeded(String userId, String familyId) {
		logger.info(line("login_succeeded", "user", userId, "family", familyId));
	}

	/** A login refused by the user service, or that could not complete. */
	public void loginFailed(String reason) {
		logger.info(line("login_failed", "reason", reason));
	}

	/** A refresh that rotated (or, within the grace window, re-answered) a session's refresh token. */
	public void refreshed(String userId, String familyId, boolean retry) {
		logger.info(line(retry ? "refresh_retried" : "refresh_succeeded", "user", userId, "family", familyId));
	}

	/** A refresh with a token no live session knows. */
	public void refreshRejected(String reason) {
		logger.info(line("refresh_rejected", "reason", reason));
	}

	/** An already-rotated refresh token came back: the session was revoked (RFC 9700 §4.14.2). */
	public void reuseDetected(String userId, String familyId) {
		logger.warn(line("refresh_token_reuse_detected", "action", "family_revoked", "user", userId, "family",
				familyId));
	}

	/** A logout that ended a session. */
	public void loggedOut(String userId, String familyId) {
		logger.info(line("logout", "user", userId, "family", familyId));
	}

	/** {@code event=<event>} followed by {@code key="value"} for each pair. */
	static String line(String event, String... pairs) {
		StringBuilder line = new StringBuilder(64).append("event=").append(event);
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			line.append(' ').append(pairs[i]).append('=');
			quote(line, pairs[i + 1]);
		}
		return line.toString();
	}

	/**
	 * Appends {@code value} in double quotes, with {@code "} and {@code \} escaped by a backslash and every
	 * control character (line breaks included) as {@code \\uXXXX}: one value, one field, one line.
	 */
	static void quote(StringBuilder out, String value) {
		if (value == null) {
			out.append('-');
			return;
		}
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7F || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

}
