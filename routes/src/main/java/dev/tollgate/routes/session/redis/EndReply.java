package dev.tollgate.routes.session.redis;

import java.util.List;

import dev.tollgate.routes.session.Session;

/**
 * The reply of {@code session_end.lua}: {@code {'ENDED', user, roles, jkt}} when it ended
 * the session, {@code {'UNKNOWN'}} when there was no such live session (or not the
 * expected user's).
 */
sealed interface EndReply {

	static EndReply decode(String sessionId, List<String> reply) {
		if ("ENDED".equals(reply.get(0))) {
			// a script of the previous version answers without the key thumbprint
			String keyThumbprint = (reply.size() > 3) ? reply.get(3) : null;
			return new Ended(new Session(sessionId, reply.get(1), StoredRoles.decode(reply.get(2)), keyThumbprint));
		}
		return Unknown.INSTANCE;
	}

	/**
	 * @param session the session that ended
	 */
	record Ended(Session session) implements EndReply {
	}

	/** Nothing ended. */
	enum Unknown implements EndReply {

		INSTANCE

	}

}
