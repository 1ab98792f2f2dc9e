package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.util.List;
import java.util.function.BiFunction;

import dev.tollgate.routes.session.Logout;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.TokenStanding;
import reactor.core.publisher.Mono;

/**
 * A logout in Redis: what the presented token is to its live session, read from the
 * session's hash ({@link StoredSessionFields#STANDING}, timed as store operation
 * {@code revoke}) and judged by {@link TokenStanding}, the rules the rotation script
 * applies too; then the session's own token ends it (or with {@code scope=all} every
 * session of its user), a spent one ends it as reuse, any other token ends nothing.
 */
final class RedisLogout {

	private final RefreshTokenCodec codec;

	private final long graceMillis;

	private final Clock clock;

	private final StoreCommands commands;

	private final SessionEnder ender;

	/**
	 * Ends every session of a user, for {@code scope=all}: (user id, reason) to the
	 * sessions ended.
	 */
	private final BiFunction<String, String, Mono<List<Session>>> endAll;

	RedisLogout(RefreshTokenCodec codec, long graceMillis, Clock clock, StoreCommands commands, SessionEnder ender,
			BiFunction<String, String, Mono<List<Session>>> endAll) {
		this.codec = codec;
		this.graceMillis = graceMillis;
		this.clock = clock;
		this.commands = commands;
		this.ender = ender;
		this.endAll = endAll;
	}

	/**
	 * Ends the session of {@code presented}, or with {@code allSessions} every session of
	 * its user.
	 */
	Mono<Logout> logout(String presented, boolean allSessions) {
		return standing(presented).flatMap((token) -> switch (token.standing()) {
			case CURRENT,
					RETRIABLE ->
				allSessions
						? this.endAll.apply(token.userId(), "logout_all")
							.map((sessions) -> Logout.of(Logout.Outcome.LOGGED_OUT, sessions))
						: this.ender.end("", token.sessionId(), "logout")
							.map((session) -> Logout.of(Logout.Outcome.LOGGED_OUT, List.of(session)));
			case SPENT -> this.ender.end("", token.sessionId(), "reuse")
				.map((session) -> Logout.of(Logout.Outcome.REUSED, List.of(session)));
			default -> Mono.<Logout>empty();
		}).defaultIfEmpty(Logout.unknown());
	}

	/** The standing of {@code presented} in its live session; empty without one. */
	private Mono<Presented> standing(String presented) {
		return Mono.defer(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Mono.empty();
			}
			return this.commands
				.timed("revoke",
						this.commands.redis()
							.<String, String>opsForHash()
							.multiGet(RedisKeys.session(parsed.sessionId()), StoredSessionFields.STANDING))
				.mapNotNull(StoredSessionFields::standing)
				.filter((stored) -> stored.currentExpiresAt() > this.clock.millis())
				.map((stored) -> new Presented(parsed.sessionId(), stored.userId(),
						TokenStanding.of(this.codec, parsed, stored.state(), this.clock.millis(), this.graceMillis)));
		});
	}

	/**
	 * A presented token in its live session.
	 *
	 * @param sessionId the session
	 * @param userId its user
	 * @param standing what the token is to it
	 */
	private record Presented(String sessionId, String userId, TokenStanding standing) {
	}

}
