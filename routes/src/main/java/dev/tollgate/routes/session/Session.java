package dev.tollgate.routes.session;

import java.util.List;

/**
 * A login session: the refresh tokens one after the other that a login was given, and the
 * access tokens that carry its id
 *
 * @param id the session id, also the access token's {@code sid} and the first part of
 * each of its refresh tokens
 * @param userId the user id from the login
 * @param roles the roles from the login
 * @param keyThumbprint the RFC 7638 thumbprint of the key a DPoP login proved (RFC 9449
 * §5): every access token of the session carries it as {@code cnf.jkt}, and every refresh
 * needs a proof by that key; {@code null} for a bearer session
 */
public record Session(String id, String userId, List<String> roles, String keyThumbprint) {

	public Session {
		roles = List.copyOf(roles);
		keyThumbprint = (keyThumbprint == null || keyThumbprint.isEmpty()) ? null : keyThumbprint;
	}

	/** A bearer session: bound to no key. */
	public Session(String id, String userId, List<String> roles) {
		this(id, userId, roles, null);
	}

	/** Whether the session is bound to a DPoP key. */
	public boolean bound() {
		return this.keyThumbprint != null;
	}

}
