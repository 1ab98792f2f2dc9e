package dev.tollgate.routes.observe;

import java.util.Set;

import dev.tollgate.routes.observe.TollgateAuditEvent.Details;
import dev.tollgate.routes.session.Logout;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionEndListener;

/**
 * Where login, refresh and logout report how they ended, once each: the one place that
 * counts the outcome (when the application has a Micrometer registry) and records the
 * audit event. The endpoints and filters never touch a meter or a logger for it.
 */
public final class AuthEvents implements SessionEndListener {

	/** Reasons a session ends that have no audit event of their own. */
	private static final Set<String> ENDED_BY = Set.of("user", "operator", "max_sessions");

	/**
	 * The reason an operator's action ends sessions with, before the operator's user id.
	 */
	private static final String BY_OPERATOR = "operator:";

	private final AuditLog audit;

	private final AuthCounters counters;

	/**
	 * @param audit where audit events go
	 * @param counters the counters, {@link AuthCounters#NONE} when the application has no
	 * Micrometer registry
	 */
	public AuthEvents(AuditLog audit, AuthCounters counters) {
		this.audit = audit;
		this.counters = counters;
	}

	/**
	 * A login ended.
	 * @param outcome how
	 * @param userId the user id (on success), or {@code null}
	 * @param sessionId the new session (on success), or {@code null}
	 * @param username the username the attempt named, or {@code null}
	 * @param clientIp the client's address
	 */
	public void login(LoginOutcome outcome, String userId, String sessionId, String username, String clientIp) {
		this.counters.login(outcome);
		Details details = new Details(userId, sessionId, username, clientIp,
				(outcome != LoginOutcome.SUCCESS) ? outcome.tag() : null);
		this.audit.record(switch (outcome) {
			case SUCCESS -> new TollgateAuditEvent.LoginSucceeded(this, details);
			case LOCKED -> new TollgateAuditEvent.LoginLocked(this, details);
			case DPOP_REPLAY -> new TollgateAuditEvent.DpopProofReplayed(this,
					new Details(userId, sessionId, username, clientIp, "login"));
			default -> new TollgateAuditEvent.LoginFailed(this, details);
		});
	}

	/**
	 * A refresh ended.
	 * @param outcome how
	 * @param userId the session's user, when the token named a live session
	 * @param sessionId the session, when known
	 * @param clientIp the client's address
	 */
	public void refresh(RefreshOutcome outcome, String userId, String sessionId, String clientIp) {
		this.counters.refresh(outcome);
		Details details = new Details(userId, sessionId, null, clientIp,
				(outcome == RefreshOutcome.ROTATED || outcome == RefreshOutcome.RETRIED) ? null : outcome.tag());
		this.audit.record(switch (outcome) {
			case ROTATED -> new TollgateAuditEvent.RefreshSucceeded(this, details);
			case RETRIED -> new TollgateAuditEvent.RefreshRetried(this, details);
			case REUSED -> new TollgateAuditEvent.RefreshTokenReuseDetected(this, details);
			case BINDING_MISMATCH -> new TollgateAuditEvent.RefreshBindingMismatch(this, details);
			case DPOP_KEY_MISMATCH -> new TollgateAuditEvent.RefreshDpopKeyMismatch(this, details);
			case DPOP_REPLAY -> new TollgateAuditEvent.DpopProofReplayed(this,
					new Details(userId, sessionId, null, clientIp, "refresh"));
			default -> new TollgateAuditEvent.RefreshRejected(this, details);
		});
	}

	/**
	 * A refresh presented by another client than the one that logged in (CONTRACT.md,
	 * "Refresh binding"): audited as {@code refresh_binding_mismatch} with the policy and
	 * the failed checks as its reason, e.g. {@code enforce:user-agent}; under
	 * {@code enforce} also counted as the refresh's outcome (the session ended).
	 * @param enforced whether the session was ended for it
	 * @param userId the session's user
	 * @param sessionId the session
	 * @param clientIp the presenting client's address
	 * @param checks the checks it failed
	 */
	public void bindingMismatch(boolean enforced, String userId, String sessionId, String clientIp,
			java.util.List<String> checks) {
		if (enforced) {
			this.counters.refresh(RefreshOutcome.BINDING_MISMATCH);
		}
		this.audit.record(new TollgateAuditEvent.RefreshBindingMismatch(this, new Details(userId, sessionId, null,
				clientIp, (enforced ? "enforce:" : "audit:") + String.join(",", checks))));
	}

	/**
	 * A refresh of a session bound to a DPoP key without a proof by that key (RFC 9449
	 * §5): counted as the refresh's outcome {@code dpop_key_mismatch} and audited as
	 * {@code refresh_dpop_key_mismatch}, its reason the binding policy and what was
	 * presented, e.g. {@code enforce:no_proof}.
	 * @param ended whether the session was ended for it (the {@code enforce} policy)
	 * @param userId the session's user
	 * @param sessionId the session
	 * @param clientIp the presenting client's address
	 * @param withProof whether the refresh carried a proof (by another key)
	 */
	public void keyMismatch(boolean ended, String userId, String sessionId, String clientIp, boolean withProof) {
		this.counters.refresh(RefreshOutcome.DPOP_KEY_MISMATCH);
		this.audit.record(new TollgateAuditEvent.RefreshDpopKeyMismatch(this, new Details(userId, sessionId, null,
				clientIp, (ended ? "enforce:" : "audit:") + (withProof ? "other_key" : "no_proof"))));
	}

	/**
	 * A logout request ended.
	 * @param allSessions whether it asked to end every session of the user
	 * @param userId the user, when the token named a live session
	 * @param sessionId the session, when known
	 * @param clientIp the client's address
	 */
	public void logout(boolean allSessions, String userId, String sessionId, String clientIp) {
		boolean ended = userId != null;
		this.counters.logout(allSessions, ended);
		if (ended) {
			this.audit.record(new TollgateAuditEvent.Logout(this,
					new Details(userId, sessionId, null, clientIp, allSessions ? "all" : "session")));
		}
	}

	/**
	 * A logout request that presented a spent refresh token: reuse of its session, which
	 * the store ended (and no other, whatever the scope). Counted and audited as a
	 * refresh whose token was reused ({@code refresh_token_reuse_detected}), so that the
	 * reuse alert fires, and counted as a logout that ended a session.
	 * @param allSessions whether it asked to end every session of the user
	 * @param userId the session's user
	 * @param sessionId the session
	 * @param clientIp the client's address
	 */
	public void reuseAtLogout(boolean allSessions, String userId, String sessionId, String clientIp) {
		this.counters.logout(allSessions, true);
		refresh(RefreshOutcome.REUSED, userId, sessionId, clientIp);
	}

	/**
	 * An operator listed a user's sessions: audited as {@code sessions_listed}.
	 * @param operator the operator's user id
	 * @param userId the user whose sessions were listed
	 */
	public void sessionsListed(String operator, String userId) {
		this.audit
			.record(new TollgateAuditEvent.SessionsListed(this, new Details(userId, null, null, null, null, operator)));
	}

	/**
	 * The reason to hand the store when {@code operator} ends sessions ({@code endedBy}),
	 * so that each session it ends is audited with the operator as its actor.
	 * @param operator the operator's user id
	 */
	public static String endedByOperator(String operator) {
		return BY_OPERATOR + operator;
	}

	/**
	 * A session the store ended: audited as {@code session_revoked} when its user, an
	 * operator (with the operator as actor when {@link #endedByOperator} named one) or
	 * {@code max-sessions-per-user} ended it (a logout and a reuse detection have events
	 * of their own).
	 */
	@Override
	public void sessionEnded(Session session, String reason) {
		boolean byOperator = reason.startsWith(BY_OPERATOR);
		String endedBy = byOperator ? "operator" : reason;
		String actor = byOperator ? reason.substring(BY_OPERATOR.length()) : null;
		if (ENDED_BY.contains(endedBy)) {
			this.audit.record(new TollgateAuditEvent.SessionRevoked(this,
					new Details(session.userId(), session.id(), null, null, endedBy, actor)));
		}
	}

}
