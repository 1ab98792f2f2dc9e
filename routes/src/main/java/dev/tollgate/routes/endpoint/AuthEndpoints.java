package dev.tollgate.routes.endpoint;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.ProvenKey;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.RefreshOutcome;
import dev.tollgate.routes.session.Logout;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseCookie;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /auth/refresh} and {@code POST /auth/logout}. The refresh token comes from
 * the JSON body {@code {"refreshToken": "..."}}, or in cookie mode only from the refresh
 * cookie, after refusing cross-site requests ({@link PresentedRefreshToken}). Refresh
 * rotates the token (RFC 9700 §4.14.2) and answers a new token pair; logout ends the
 * session and always answers 204.
 * <p>
 * A refresh's {@code DPoP} proof is checked before the store is touched
 * ({@link TokenEndpointProof}: 400 {@code invalid_dpop_proof} or {@code use_dpop_nonce},
 * nothing rotated). The refresh token of a session bound to a DPoP key rotates only with
 * a proof by that key (RFC 9449 §5), and its new access token is bound to the same key;
 * without one it is 400 {@code invalid_grant} and nothing rotates (under the
 * {@code enforce} binding policy the session ends). A bearer session stays bearer, proof
 * or not.
 */
public final class AuthEndpoints {

	/**
	 * A bound session's refresh token without a proof by its key: 400 (RFC 9449 §5 and
	 * RFC 6749 §5.2 answer a token request's {@code invalid_grant} with 400).
	 */
	private static final TollgateError KEY_MISMATCH = keyMismatch(
			"refresh token is DPoP-bound: a proof by its key required");

	/** The same under the {@code enforce} binding policy, which ended the session. */
	private static final TollgateError KEY_MISMATCH_ENDED = keyMismatch(
			"refresh token is DPoP-bound: a proof by its key required; session revoked");

	private final RefreshTokenStore store;

	private final TokenResponses responses;

	private final ProblemResponseWriter writer;

	private final AuthEvents events;

	private final ClientAddressResolver clients;

	private final PresentedRefreshToken presented;

	private final ClientBindingResolver bindings;

	private final TokenEndpointProof proof;

	/** Without DPoP: every refresh is a bearer refresh. */
	public AuthEndpoints(RefreshTokenStore store, TokenResponses responses, ProblemResponseWriter writer,
			AuthEvents events, ClientAddressResolver clients, CookieSettings cookie, BodyReader bodies,
			ClientBindingResolver bindings) {
		this(store, responses, writer, events, clients, cookie, bodies, bindings, TokenEndpointProof.OFF);
	}

	/**
	 * @param proof checks a refresh's DPoP proof before the store is touched
	 */
	public AuthEndpoints(RefreshTokenStore store, TokenResponses responses, ProblemResponseWriter writer,
			AuthEvents events, ClientAddressResolver clients, CookieSettings cookie, BodyReader bodies,
			ClientBindingResolver bindings, TokenEndpointProof proof) {
		this.bindings = bindings;
		this.proof = proof;
		this.store = store;
		this.responses = responses;
		this.writer = writer;
		this.events = events;
		this.clients = clients;
		this.presented = new PresentedRefreshToken(cookie, bodies);
	}

	/** Trades a refresh token for a new pair. */
	public Mono<ServerResponse> refresh(ServerRequest request) {
		String clientIp = this.clients.resolve(request.exchange().getRequest());
		ClientBinding binding = this.bindings.resolve(request.exchange().getRequest());
		// the body first: a connection closed with its body unread may be reset
		return this.presented.read(request)
			.flatMap((token) -> this.proof.refresh(request.exchange().getRequest())
				.flatMap((key) -> this.store.rotate(token, binding, key.thumbprint())
					.flatMap((rotation) -> answer(request, rotation, key, clientIp))))
			.onErrorResume(TollgateErrorException.class, (ex) -> refused(request, ex.error(), clientIp))
			.onErrorResume(StoreUnavailableException.class, (ex) -> refused(request, ex.error(), clientIp));
	}

	/**
	 * Ends the session of a refresh token, or with {@code ?scope=all} every session of
	 * its user; 204 whether or not it was known. A spent refresh token is reuse of its
	 * own session, which alone ends (audited as such), whatever the scope.
	 * <p>
	 * No DPoP proof is needed, not even for a session bound to a key: ending a session is
	 * never a gain for whoever holds a stolen refresh token, and the key's holder may
	 * have lost the key (a cleared browser profile) and still want the session gone. A
	 * {@code DPoP} header is ignored here.
	 */
	public Mono<ServerResponse> logout(ServerRequest request) {
		String clientIp = this.clients.resolve(request.exchange().getRequest());
		String scope = request.queryParam("scope").orElse("session");
		if (!scope.equals("session") && !scope.equals("all")) {
			return this.writer.render(request, TollgateErrors.invalidRequest("scope must be session or all"));
		}
		boolean all = scope.equals("all");
		return this.presented.read(request)
			.flatMap(all ? this.store::logoutAll : this.store::logout)
			.defaultIfEmpty(Logout.unknown())
			.flatMap((logout) -> {
				Session session = logout.session();
				if (logout.outcome() == Logout.Outcome.REUSED) {
					this.events.reuseAtLogout(all, session.userId(), session.id(), clientIp);
				}
				else {
					this.events.logout(all, (session != null) ? session.userId() : null,
							(session != null && !all) ? session.id() : null, clientIp);
				}
				ResponseCookie clearing = this.responses.clearingCookie();
				ServerResponse.HeadersBuilder<?> noContent = ServerResponse.noContent()
					.header(HttpHeaders.CACHE_CONTROL, "no-store");
				return (clearing != null) ? noContent.cookie(clearing).build() : noContent.build();
			})
			.onErrorResume(TollgateErrorException.class, (ex) -> this.writer.render(request, ex.error()))
			.onErrorResume(StoreUnavailableException.class, (ex) -> this.writer.render(request, ex.error()));
	}

	private Mono<ServerResponse> answer(ServerRequest request, Rotation rotation, ProvenKey key, String clientIp) {
		Session session = rotation.session();
		switch (rotation.outcome()) {
			case ROTATED, RETRIED -> {
				TokenResponses.TokenResponse response = this.responses.create(rotation.token(),
						this.proof.responseNonce(key));
				this.events.refresh((rotation.outcome() == Rotation.Outcome.RETRIED) ? RefreshOutcome.RETRIED
						: RefreshOutcome.ROTATED, session.userId(), session.id(), clientIp);
				if (!rotation.bindingMismatches().isEmpty()) {
					// the audit policy: answered as usual, but on record
					this.events.bindingMismatch(false, session.userId(), session.id(), clientIp,
							rotation.bindingMismatches());
				}
				return ServerResponse.ok().headers(response::applyHeaders).bodyValue(response.json());
			}
			case BINDING_MISMATCH -> {
				this.events.bindingMismatch(true, session.userId(), session.id(), clientIp,
						rotation.bindingMismatches());
				return this.writer.render(request,
						TollgateErrors.invalidGrant("refresh token presented by another client; session revoked"));
			}
			case KEY_MISMATCH -> {
				this.events.keyMismatch(rotation.sessionEnded(), session.userId(), session.id(), clientIp,
						key.proved());
				return this.writer.render(request, rotation.sessionEnded() ? KEY_MISMATCH_ENDED : KEY_MISMATCH);
			}
			case REUSED -> {
				this.events.refresh(RefreshOutcome.REUSED, session.userId(), session.id(), clientIp);
				return this.writer.render(request,
						TollgateErrors.invalidGrant("refresh token reused; session revoked"));
			}
			default -> {
				this.events.refresh(RefreshOutcome.INVALID, null, null, clientIp);
				return this.writer.render(request, TollgateErrors.invalidGrant("refresh token invalid or expired"));
			}
		}
	}

	/**
	 * A refresh refused before the store could decide: reported, then answered as
	 * problem+json.
	 */
	private Mono<ServerResponse> refused(ServerRequest request, TollgateError error, String clientIp) {
		RefreshOutcome outcome = RefreshOutcome.ofDpop(error.rejection());
		if (outcome == null) {
			outcome = switch (error.status()) {
				case FORBIDDEN -> RefreshOutcome.DENIED;
				case SERVICE_UNAVAILABLE -> RefreshOutcome.UNAVAILABLE;
				case UNAUTHORIZED -> RefreshOutcome.INVALID;
				default -> RefreshOutcome.MALFORMED;
			};
		}
		this.events.refresh(outcome, null, null, clientIp);
		return this.writer.render(request, error);
	}

	private static TollgateError keyMismatch(String description) {
		// built here: the contract's other invalid_grant answers are 401
		return new TollgateError("invalid_grant", HttpStatus.BAD_REQUEST, description, false, false, null);
	}

}
