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
 */
public record Session(String id, String userId, List<String> roles) {

	public Session {
		roles = List.copyOf(roles);
	}

}
