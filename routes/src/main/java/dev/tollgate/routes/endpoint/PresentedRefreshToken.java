package dev.tollgate.routes.endpoint;

import java.util.List;

import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.CrossSiteRequests;
import dev.tollgate.routes.http.StrictJson;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Reads the refresh token a refresh or logout presents: in cookie mode only from the
 * refresh cookie, after refusing cross-site requests (Fetch Metadata, then {@code Origin}
 * against the allow-list); otherwise only from the JSON body {@code {"refreshToken":
 * "..."}}, at most {@value #MAX_BODY_BYTES} bytes. A request that presents none fails
 * with a {@link TollgateErrorException}: 400 {@code invalid_request}, 403
 * {@code access_denied}, 408 or 413.
 */
final class PresentedRefreshToken {

	/** Largest request body accepted; a refresh body is under 200 bytes. */
	static final int MAX_BODY_BYTES = 4096;

	private final CookieSettings cookie;

	private final CrossSiteRequests crossSite;

	private final BodyReader bodies;

	PresentedRefreshToken(CookieSettings cookie, BodyReader bodies) {
		this.cookie = cookie;
		this.crossSite = new CrossSiteRequests(cookie.allowedOrigins());
		this.bodies = bodies;
	}

	/**
	 * The presented refresh token; fails with a {@link TollgateErrorException} when it
	 * cannot be read.
	 */
	Mono<String> read(ServerRequest request) {
		if (this.cookie.enabled()) {
			return Mono.fromCallable(() -> fromCookie(request));
		}
		return fromBody(request);
	}

	private String fromCookie(ServerRequest request) {
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

	private Mono<String> fromBody(ServerRequest request) {
		HttpHeaders headers = request.headers().asHttpHeaders();
		MediaType contentType;
		try {
			contentType = headers.getContentType();
		}
		catch (InvalidMediaTypeException ex) {
			// "garbage", an unknown charset: the client's mistake, not a server error
			contentType = MediaType.APPLICATION_OCTET_STREAM;
		}
		if (contentType != null && !contentType.isCompatibleWith(MediaType.APPLICATION_JSON)
				&& !"json".equals(contentType.getSubtypeSuffix())) {
			// read (bounded) before answering: a connection closed with the body unread
			// is reset, and the client
			// may see the reset instead of the answer
			return this.bodies.read(request.exchange().getRequest().getBody(), MAX_BODY_BYTES)
				.then(Mono.error(TollgateErrors.invalidRequest("body must be application/json").exception()));
		}
		if (headers.getContentLength() > MAX_BODY_BYTES) {
			return Mono.error(TollgateErrors.payloadTooLarge("body too large").exception());
		}
		return this.bodies.read(request.exchange().getRequest().getBody(), MAX_BODY_BYTES)
			.map(PresentedRefreshToken::fromJson);
	}

	private static String fromJson(byte[] body) {
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
