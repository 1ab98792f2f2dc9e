package dev.tollgate.routes.audit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One structured line per security event on the logger {@code tollgate.audit}, as {@code key=value} pairs:
 * {@code event}, {@code user}, {@code family} and, for failures, {@code reason}. Never a token. Values are
 * ours (user ids pass the subject rules, family ids are base64url), so no escaping is needed.
 */
public final class AuditLog {

	private static final Log logger = LogFactory.getLog("tollgate.audit");

	/** A login that minted a session. */
	public void loginSucceeded(String userId, String familyId) {
		logger.info("event=login_succeeded user=" + userId + " family=" + familyId);
	}

	/** A login refused by the user service, or that could not complete. */
	public void loginFailed(String reason) {
		logger.info("event=login_failed reason=" + reason);
	}

	/** A refresh that rotated (or, within the grace window, re-answered) a session's refresh token. */
	public void refreshed(String userId, String familyId, boolean retry) {
		logger.info("event=" + (retry ? "refresh_retried" : "refresh_succeeded") + " user=" + userId + " family="
				+ familyId);
	}

	/** A refresh with a token no live session knows. */
	public void refreshRejected(String reason) {
		logger.info("event=refresh_rejected reason=" + reason);
	}

	/** An already-rotated refresh token came back: the session was revoked (RFC 9700 §4.14.2). */
	public void reuseDetected(String userId, String familyId) {
		logger.warn("event=refresh_token_reuse_detected action=family_revoked user=" + userId + " family=" + familyId);
	}

	/** A logout that ended a session. */
	public void loggedOut(String userId, String familyId) {
		logger.info("event=logout user=" + userId + " family=" + familyId);
	}

}
