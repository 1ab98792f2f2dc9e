package dev.tollgate.routes.session.redis;

import java.util.List;

/**
 * The reply of {@code session_create.lua}: {@code {'CREATED'}}, or {@code {'EXISTS'}}
 * should a session id repeat.
 */
enum CreateReply {

	/** The session was stored. */
	CREATED,

	/** A session of that id exists already: nothing was written. */
	EXISTS;

	static CreateReply decode(List<String> reply) {
		return "CREATED".equals(reply.get(0)) ? CREATED : EXISTS;
	}

}
