package dev.tollgate.routes.session;

import java.time.Instant;

/**
 * A refresh token handed to a client, with the session it belongs to.
 *
 * @param value the token in clear, {@code <sessionId>.<secret>}: only ever sent to the
 * client
 * @param expiresAt when this token stops working (sliding ttl, capped by the session's
 * end)
 * @param session the login session
 */
public record IssuedRefreshToken(String value, Instant expiresAt, Session session) {

	@Override
	public String toString() {
		return "IssuedRefreshToken[session=" + this.session.id() + ", expiresAt=" + this.expiresAt + "]";
	}

}
