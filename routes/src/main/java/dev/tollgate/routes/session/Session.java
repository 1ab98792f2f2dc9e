package dev.tollgate.routes.session;

import java.util.List;

/**
 * A login session: one refresh-token family.
 *
 * @param familyId the family id, also the access token's {@code sid}
 * @param userId the user id from the login
 * @param roles the roles from the login
 */
public record Session(String familyId, String userId, List<String> roles) {

	public Session {
		roles = List.copyOf(roles);
	}

}
