package dev.tollgate.routes.endpoint;

import java.util.Map;

import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.RefreshTokenStore;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The operators' Actuator endpoint {@code tollgate}, on the management port: {@code GET
 * /actuator/tollgate/sessions/{userId}} lists a user's live sessions, {@code DELETE
 * /actuator/tollgate/sessions/{userId}} ends them all (204), e.g. after an account was
 * compromised. Only for an operator: {@link OperatorAccessFilter} refuses every other
 * call, and an operation reached without it does nothing. Both are audited with the
 * operator ({@code sessions_listed}, and {@code session_revoked} for each session ended).
 */
@Endpoint(id = "tollgate")
public final class SessionsActuatorEndpoint {

	private static final String SESSIONS = "sessions";

	private final RefreshTokenStore store;

	private final AuthEvents events;

	public SessionsActuatorEndpoint(RefreshTokenStore store, AuthEvents events) {
		this.store = store;
		this.events = events;
	}

	/**
	 * The live sessions of {@code userId}; nothing (404) for another resource than
	 * {@code sessions}.
	 */
	@ReadOperation
	public Mono<Map<String, Object>> sessions(@Selector String resource, @Selector String userId) {
		return Operator.current().flatMap((operator) -> {
			if (!SESSIONS.equals(resource)) {
				return Mono.empty();
			}
			return this.store.sessions(userId)
				.doOnNext((sessions) -> this.events.sessionsListed(operator.userId(), userId))
				.map((sessions) -> Map.of(SESSIONS, SessionEndpoints.view(sessions, null, false)));
		});
	}

	/**
	 * Ends every session of {@code userId} (204); nothing for another resource than
	 * {@code sessions}.
	 */
	@DeleteOperation
	public Mono<Void> endSessions(@Selector String resource, @Selector String userId) {
		return Operator.current().flatMap((operator) -> {
			if (!SESSIONS.equals(resource)) {
				return Mono.empty();
			}
			return this.store.endAll(userId, AuthEvents.endedByOperator(operator.userId())).then();
		});
	}

}
