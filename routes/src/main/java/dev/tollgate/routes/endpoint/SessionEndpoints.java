package dev.tollgate.routes.endpoint;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.SessionInfo;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /auth/sessions} and {@code DELETE /auth/sessions/{id}}: a user's view of
 * their own sessions, with a valid access token ("log out that other device"): a bearer
 * token, or a DPoP-bound one with its proof (RFC 9449 §7), checked as the access check at
 * the edge checks it ({@link AccessTokenAuthenticator}; a bound token sent as
 * {@code Bearer} is refused). Another user's session answers 404 exactly like one that
 * does not exist, so that ids cannot be probed. The store reports every session it ends
 * (audit, the set of ended sessions).
 */
public final class SessionEndpoints {

	private final AccessTokenAuthenticator authenticator;

	private final RefreshTokenStore store;

	private final ProblemResponseWriter writer;

	public SessionEndpoints(AccessTokenAuthenticator authenticator, RefreshTokenStore store,
			ProblemResponseWriter writer) {
		this.authenticator = authenticator;
		this.store = store;
		this.writer = writer;
	}

	/**
	 * The user's live sessions, {@code current} marking the one of the access token used.
	 */
	public Mono<ServerResponse> list(ServerRequest request) {
		return withUser(request,
				(user) -> this.store.sessions(user.subject())
					.flatMap((sessions) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.header("Cache-Control", "no-store")
						.bodyValue(Map.of("sessions", view(sessions, user.sessionId(), true)))));
	}

	/**
	 * Ends one of the user's own sessions: 204, or 404 when the user has no such session.
	 */
	public Mono<ServerResponse> end(ServerRequest request) {
		String sessionId = request.pathVariable("id");
		return withUser(request,
				(user) -> this.store.end(user.subject(), sessionId, "user")
					.flatMap((ended) -> ended ? ServerResponse.noContent().build()
							: this.writer.render(request, TollgateErrors.notFound("no such session"))));
	}

	/**
	 * The sessions as the contract lists them: id, createdAt, lastRefreshedAt, expiresAt
	 * as ISO-8601, and for a user's own view whether each is the session of the token
	 * used.
	 */
	static List<Map<String, Object>> view(List<SessionInfo> sessions, String currentSessionId, boolean withCurrent) {
		return sessions.stream().map((session) -> {
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("id", session.id());
			entry.put("createdAt", session.createdAt().toString());
			entry.put("lastRefreshedAt", session.lastRefreshedAt().toString());
			entry.put("expiresAt", session.expiresAt().toString());
			if (withCurrent) {
				entry.put("current", session.id().equals(currentSessionId));
			}
			return entry;
		}).toList();
	}

	private Mono<ServerResponse> withUser(ServerRequest request,
			Function<VerifiedAccessToken, Mono<ServerResponse>> action) {
		return this.authenticator.authenticate(request.exchange().getRequest()).flatMap((user) -> {
			// on the exchange's headers: a built ServerResponse's own are read-only
			this.authenticator.addResponseNonce(user, request.exchange().getResponse().getHeaders());
			return action.apply(user);
		})
			.switchIfEmpty(Mono.defer(() -> this.writer.render(request, TollgateErrors.missingToken())))
			.onErrorResume(TollgateErrorException.class, (ex) -> this.writer.render(request, ex.error()))
			.onErrorResume(StoreUnavailableException.class, (ex) -> this.writer.render(request, ex.error()));
	}

}
