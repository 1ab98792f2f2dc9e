package dev.tollgate.routes.observe;

import java.time.Instant;

import org.springframework.context.ApplicationEvent;

/**
 * A security event, published as a Spring {@link ApplicationEvent} and logged on
 * {@code tollgate.audit}. One subclass per event name (in this package), so that an
 * application can listen to one kind, or to all of them with one listener on this type
 * (e.g. to forward them to a SIEM). Never carries a token, a password or a secret.
 */
public abstract sealed class TollgateAuditEvent extends ApplicationEvent permits LoginSucceeded, LoginFailed,
		LoginLocked, RefreshSucceeded, RefreshRetried, RefreshRejected, RefreshTokenReuseDetected,
		RefreshBindingMismatch, RefreshDpopKeyMismatch, DpopProofReplayed, LoggedOut, SessionsListed, SessionRevoked {

	private static final long serialVersionUID = 1L;

	private final String userId;

	private final String sessionId;

	private final String username;

	private final String clientIp;

	private final String reason;

	private final String actor;

	private final Instant occurredAt;

	private final String action;

	TollgateAuditEvent(Object source, Details details, String action) {
		super(source);
		this.action = action;
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
	public final String action() {
		return this.action;
	}

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

}
