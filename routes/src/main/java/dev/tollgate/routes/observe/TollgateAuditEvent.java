package dev.tollgate.routes.observe;

import java.time.Instant;

import org.springframework.context.ApplicationEvent;

/**
 * A security event, published as a Spring {@link ApplicationEvent} and logged on
 * {@code tollgate.audit}. One subclass per event name, so that an application can listen
 * to one kind, or to all of them with one listener on this type (e.g. to forward them to
 * a SIEM). Never carries a token, a password or a secret.
 */
public abstract sealed class TollgateAuditEvent extends ApplicationEvent {

	private static final long serialVersionUID = 1L;

	private final String userId;

	private final String sessionId;

	private final String username;

	private final String clientIp;

	private final String reason;

	private final String actor;

	private final Instant occurredAt;

	TollgateAuditEvent(Object source, Details details) {
		super(source);
		this.userId = details.userId();
		this.sessionId = details.sessionId();
		this.username = details.username();
		this.clientIp = details.clientIp();
		this.reason = details.reason();
		this.actor = details.actor();
		this.occurredAt = Instant.ofEpochMilli(getTimestamp());
	}

	/**
	 * The event's name, e.g. {@code refresh_token_reuse_detected} ({@code event.action}
	 * in ECS).
	 */
	public abstract String action();

	/** The user id, when known. */
	public String userId() {
		return this.userId;
	}

	/** The session id (the access token's {@code sid}), when known. */
	public String sessionId() {
		return this.sessionId;
	}

	/**
	 * The username a login attempt named, for login events; may be anything a client
	 * sent.
	 */
	public String username() {
		return this.username;
	}

	/** The client's address, when known. */
	public String clientIp() {
		return this.clientIp;
	}

	/**
	 * Why: the outcome of a failed login or refresh, the scope of a logout, who ended a
	 * session.
	 */
	public String reason() {
		return this.reason;
	}

	/**
	 * Who acted when it was not the user: the operator's user id ({@code sub}) for an
	 * operator's action.
	 */
	public String actor() {
		return this.actor;
	}

	/** When it happened. */
	public Instant occurredAt() {
		return this.occurredAt;
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[user=" + this.userId + ", session=" + this.sessionId + ", reason="
				+ this.reason + ", actor=" + this.actor + "]";
	}

	/**
	 * What an event says.
	 *
	 * @param userId the user id, or {@code null}
	 * @param sessionId the session id, or {@code null}
	 * @param username the username a login named, or {@code null}
	 * @param clientIp the client's address, or {@code null}
	 * @param reason the reason or scope, or {@code null}
	 * @param actor who acted when it was not the user (an operator's user id), or
	 * {@code null}
	 */
	public record Details(String userId, String sessionId, String username, String clientIp, String reason,
			String actor) {

		/** What an event about the user's own doing says: no other actor. */
		public Details(String userId, String sessionId, String username, String clientIp, String reason) {
			this(userId, sessionId, username, clientIp, reason, null);
		}

	}

	/** {@code login_succeeded}: a session started. */
	public static final class LoginSucceeded extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public LoginSucceeded(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "login_succeeded";
		}

	}

	/**
	 * {@code login_failed}: the user service refused the credentials, or the login could
	 * not complete.
	 */
	public static final class LoginFailed extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public LoginFailed(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "login_failed";
		}

	}

	/**
	 * {@code login_locked}: an attempt refused because of too many failures; the user
	 * service was not called.
	 */
	public static final class LoginLocked extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public LoginLocked(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "login_locked";
		}

	}

	/** {@code refresh_succeeded}: a refresh token was rotated. */
	public static final class RefreshSucceeded extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshSucceeded(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_succeeded";
		}

	}

	/**
	 * {@code refresh_retried}: the immediate predecessor retried within the grace window
	 * got the same successor.
	 */
	public static final class RefreshRetried extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshRetried(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_retried";
		}

	}

	/**
	 * {@code refresh_rejected}: a refresh refused (unknown token, bad request,
	 * cross-site, store down).
	 */
	public static final class RefreshRejected extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshRejected(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_rejected";
		}

	}

	/**
	 * {@code refresh_token_reuse_detected}: an already-rotated token came back; the
	 * session ended.
	 */
	public static final class RefreshTokenReuseDetected extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshTokenReuseDetected(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_token_reuse_detected";
		}

	}

	/**
	 * {@code refresh_binding_mismatch}: a refresh token presented by another client than
	 * the one that logged in.
	 */
	public static final class RefreshBindingMismatch extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshBindingMismatch(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_binding_mismatch";
		}

	}

	/**
	 * {@code refresh_dpop_key_mismatch}: the refresh token of a session bound to a DPoP
	 * key presented without a proof by that key (RFC 9449 §5); {@code reason}: the
	 * binding policy, then {@code no_proof} or {@code other_key}, e.g.
	 * {@code enforce:no_proof} (under {@code enforce} the session ended).
	 */
	public static final class RefreshDpopKeyMismatch extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public RefreshDpopKeyMismatch(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "refresh_dpop_key_mismatch";
		}

	}

	/**
	 * {@code dpop_proof_replayed}: a DPoP proof presented again at the token endpoint
	 * (RFC 9449 §11.1), refused; {@code reason}: where, {@code login} or {@code refresh}.
	 */
	public static final class DpopProofReplayed extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public DpopProofReplayed(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "dpop_proof_replayed";
		}

	}

	/**
	 * {@code logout}: a session ended by its refresh token ({@code reason}: the scope,
	 * session or all).
	 */
	public static final class Logout extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public Logout(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "logout";
		}

	}

	/**
	 * {@code sessions_listed}: an operator listed a user's sessions ({@code actor}: the
	 * operator).
	 */
	public static final class SessionsListed extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public SessionsListed(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "sessions_listed";
		}

	}

	/**
	 * {@code session_revoked}: a session ended by its user or an operator
	 * ({@code reason}: by whom; {@code actor}: which operator).
	 */
	public static final class SessionRevoked extends TollgateAuditEvent {

		private static final long serialVersionUID = 1L;

		public SessionRevoked(Object source, Details details) {
			super(source, details);
		}

		@Override
		public String action() {
			return "session_revoked";
		}

	}

}
