package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionEndListener;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The one way a session ends in Redis, whoever ends it ({@code session_end.lua}, timed as
 * store operation {@code end}): the session is deleted, an end marker outlives its last
 * access token, the end is published on {@link RedisKeys#SESSION_END_CHANNEL}; then this
 * instance's {@link SessionEndListener} is told and the user's index cleaned.
 */
final class SessionEnder {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> END = LuaScripts.load("session_end.lua");

	private final Clock clock;

	private final StoreCommands commands;

	private final UserSessionIndex index;

	private final Duration endedRetention;

	private final SessionEndListener listener;

	/**
	 * @param endedRetention how long an ended session must be remembered: the access
	 * tokens' lifetime plus clock skew
	 * @param listener told of every session this instance ends
	 */
	SessionEnder(Clock clock, StoreCommands commands, UserSessionIndex index, Duration endedRetention,
			SessionEndListener listener) {
		this.clock = clock;
		this.commands = commands;
		this.index = index;
		this.endedRetention = endedRetention;
		this.listener = listener;
	}

	/**
	 * Ends {@code sessionId} if it is a live session (of {@code expectedUser}, unless
	 * empty). Completes with the session, or empty.
	 * @param reason why, for the listener
	 */
	Mono<Session> end(String expectedUser, String sessionId, String reason) {
		return Mono.defer(() -> {
			long retention = this.endedRetention.toMillis();
			List<String> keys = List.of(RedisKeys.session(sessionId), RedisKeys.endMarker(sessionId));
			List<String> args = List.of(expectedUser, sessionId, Long.toString(this.clock.millis() + retention),
					Long.toString(retention), RedisKeys.SESSION_END_CHANNEL);
			return this.commands.script("end", END, keys, args)
				.map((reply) -> EndReply.decode(sessionId, reply))
				.ofType(EndReply.Ended.class)
				.map(EndReply.Ended::session)
				.flatMap((session) -> {
					this.listener.sessionEnded(session, reason);
					return this.index.remove(session.userId(), sessionId).thenReturn(session);
				});
		});
	}

}
