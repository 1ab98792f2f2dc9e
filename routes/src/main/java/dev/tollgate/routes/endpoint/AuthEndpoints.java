package dev.tollgate.routes.endpoint;

import java.util.List;

import dev.tollgate.routes.audit.AuditLog;
import dev.tollgate.routes.config.RoutesProperties;
import dev.tollgate.routes.store.RefreshTokenStore;
import dev.tollgate.routes.store.Rotation;
import dev.tollgate.routes.store.StoreUnavailableException;
import dev.tollgate.routes.token.BodyReader;
import dev.tollgate.routes.token.CrossSiteRequests;
import dev.tollgate.routes.token.StrictJson;
import dev.tollgate.routes.token.TokenResponses;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code POST /auth/refresh} and {@code POST /auth/logout}. The refresh token comes from the JSON body
 * {@code {"refreshToken": "..."}}, or in cookie mode only from the refresh cookie, after refusing cross-site
 * requests (Fetch Metadata, then {@code Origin} against the allow-list). Refresh rotates the token
 * (RFC 9700 §4.14.2) and answers a new token pair; logout revokes the session and always answers 204.
 */
public final class AuthEndpoints {

	/** Largest request body accepted; a refresh body is under 200 bytes. */
	static final int MAX_BODY_BYTES = 4096;

	private final RefreshTokenStore store;

	private final TokenResponses responses;

	private final ProblemResponseWriter writer;

	private final AuditLog audit;

	private final RoutesProperties.Cookie cookie;

	private final CrossSiteRequests crossSite;

	private final BodyReader bodies;

	public AuthEndpoints(RefreshTokenStore store, TokenResponses responses, ProblemResponseWriter writer,
			AuditLog audit, RoutesProperties.Cookie cookie, BodyReader bodies) {
		this.store = store;
		this.responses = responses;
		this.writer = writer;
		this.audit = audit;
		this.cookie = cookie;
		this.crossSite = new CrossSiteRequests(cookie.allowedOrigins());
		this.bodies = bodies;
	}

	/** Trades a refresh token for a new pair. */
	public Mono<ServerResponse> refresh(ServerRequest request) {
		return withErrors(request, presentedToken(request).flatMap(this.store::rotate).flatMap(this::answer));
	}

	/** Revokes the session of a refresh token; 204 whether or not it was known. */
	public Mono<ServerResponse> logout(ServerRequest request) {
		return withErrors(request, presentedToken(request).flatMap(this.store::revoke)
			.doOnNext((session) -> this.audit.loggedOut(session.userId(), session.familyId()))
			.then(Mono.defer(() -> {
				ResponseCookie clearing = this.responses.clearingCookie();
				ServerResponse.HeadersBuilder<?> noContent = ServerResponse.noContent()
					.header(HttpHeaders.CACHE_CONTROL, "no-store");
				return (clearing != null) ? noContent.cookie(clearing).build() : noContent.build();
			})));
	}

	private Mono<ServerResponse> answer(Rotation rotation) {
		switch (rotation.outcome()) {
			case ROTATED, RETRIED -> {
				TokenResponses.TokenResponse response = this.responses.create(rotation.token());
				this.audit.refreshed(rotation.session().userId(), rotation.session().familyId(),
						rotation.outcome() == Rotation.Outcome.RETRIED);
				return ServerResponse.ok().headers(response::applyHeaders).bodyValue(response.json());
			}
			case REUSED -> {
				this.audit.reuseDetected(rotation.session().userId(), rotation.session().familyId());
				return Mono.error(TollgateErrors.invalidGrant("refresh token reused; session revoked").exception());
			}
			default -> {
				this.audit.refreshRejected("invalid_grant");
				return Mono.error(TollgateErrors.invalidGrant("refresh token invalid or expired").exception());
			}
		}
	}

	/** Answers the expected failures (bad input, store down) as problem+json; anything else propagates. */
	private Mono<ServerResponse> withErrors(ServerRequest request, Mono<ServerResponse> response) {
		return response
			.onErrorResume(TollgateErrorException.class, (ex) -> this.writer.render(request, ex.error()))
			.onErrorResume(StoreUnavailableException.class, (ex) -> this.writer.render(request, ex.error()));
	}

	/** The presented refresh token; fails with a {@link TollgateErrorException} when it cannot be read. */
	private Mono<String> presentedToken(ServerRequest request) {
		if (this.cookie.enabled()) {
			return Mono.fromCallable(() -> cookieToken(request));
		}
		return bodyToken(request);
	}

	private String cookieToken(ServerRequest request) {
		TollgateError refusal = this.crossSite.refusal(request.headers().asHttpHeaders());
		if (refusal != null) {
			throw refusal.exception();
		}
		List<HttpCookie> cookies = request.cookies().get(this.cookie.name());
		if (cookies == null || cookies.isEmpty()) {
			throw TollgateErrors.invalidRequest("refresh cookie missing").exception();
		}
		if (cookies.size() > 1) {
			throw TollgateErrors.invalidRequest("more than one refresh cookie").exception();
		}
		return cookies.get(0).getValue();
	}

	private Mono<String> bodyToken(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		MediaType contentType = headers.getContentType();
		if (contentType != null && !contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				&& !"json".equals(contentType.getSubtypeSuffix())) {
			return Mono.error(TollgateErrors.invalidRequest("body must be application/json").exception());
		}
		if (headers.getContentLength() > MAX_BODY_BYTES) {
			return Mono.error(TollgateErrors.payloadTooLarge("body too large").exception());
		}
		return this.bodies.read(request.exchange().getRequest().getBody(), MAX_BODY_BYTES)
			.map(AuthEndpoints::tokenFromJson);
	}

	private static String tokenFromJson(byte[] body) {
		if (body.length == 0) {
			throw TollgateErrors.invalidRequest("body required").exception();
		}
		JsonNode root;
		try {
			root = StrictJson.MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			throw TollgateErrors.invalidRequest("body is not valid JSON").exception();
		}
		JsonNode token = (root != null && root.isObject()) ? root.get("refreshToken") : null;
		if (token == null || !token.isString() || token.stringValue().isEmpty()) {
			throw TollgateErrors.invalidRequest("refreshToken (a string) required").exception();
		}
		return token.stringValue();
	}

}
