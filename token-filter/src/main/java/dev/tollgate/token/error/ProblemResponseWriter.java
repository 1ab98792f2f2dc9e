package dev.tollgate.token.error;

import java.nio.charset.StandardCharsets;

import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The one place that turns a {@link TollgateError} into HTTP: an RFC 9457
 * {@code application/problem+json} body with the extra member {@code error}, and for
 * bearer errors the RFC 6750 §3 {@code WWW-Authenticate} challenge.
 */
public final class ProblemResponseWriter {

	/** The media type of every error body. */
	public static final MediaType PROBLEM_JSON = MediaType.APPLICATION_PROBLEM_JSON;

	/** The response header of a DPoP server nonce (RFC 9449 §8.1). */
	static final String DPOP_NONCE = "DPoP-Nonce";

	private final String realm;

	/** The {@code algs} of DPoP challenges, {@code null} when DPoP is off. */
	private final String dpopAlgorithms;

	/** Bearer challenges only: DPoP off. */
	public ProblemResponseWriter(String realm) {
		this(realm, null);
	}

	/**
	 * @param realm the realm of Bearer challenges
	 * @param dpopAlgorithms the {@code algs} of DPoP challenges (RFC 9449 §7.1), e.g.
	 * {@code ES256 EdDSA RS256 PS256}; {@code null} when DPoP is off: a request without a
	 * token then gets the Bearer challenge alone
	 */
	public ProblemResponseWriter(String realm, String dpopAlgorithms) {
		this.realm = realm;
		this.dpopAlgorithms = dpopAlgorithms;
	}

	/** Writes {@code error} as the complete response of {@code exchange}. */
	public Mono<Void> write(ServerWebExchange exchange, TollgateError error) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(error.status());
		applyHeaders(response.getHeaders(), error);
		byte[] body = body(error, exchange.getRequest().getPath().value());
		response.getHeaders().setContentLength(body.length);
		DataBuffer buffer = response.bufferFactory().wrap(body);
		return response.writeWith(Mono.just(buffer));
	}

	/** Renders {@code error} as the response of a functional endpoint. */
	public Mono<ServerResponse> render(ServerRequest request, TollgateError error) {
		return ServerResponse.status(error.status())
			.headers((headers) -> applyHeaders(headers, error))
			.bodyValue(body(error, request.path()));
	}

	private void applyHeaders(HttpHeaders headers, TollgateError error) {
		headers.setContentType(PROBLEM_JSON);
		headers.setCacheControl("no-store");
		if (error.status() == HttpStatus.REQUEST_TIMEOUT) {
			// the client is too slow to finish its request: the connection is not worth
			// keeping
			headers.setConnection("close");
		}
		if (error.challenge()) {
			// one challenge: a request without a token gets exactly the contract's
			// Bearer challenge (RFC 9449 §7.1 allows, not requires, a second one), or the
			// DPoP challenge alone on a route that takes DPoP-bound tokens only
			headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge(error));
		}
		if (error.dpopNonce() != null) {
			headers.set(DPOP_NONCE, error.dpopNonce());
		}
		if (error.retryAfterSeconds() > 0) {
			headers.set(HttpHeaders.RETRY_AFTER, Long.toString(error.retryAfterSeconds()));
		}
	}

	/** The {@code WWW-Authenticate} value for an error: Bearer, or DPoP. */
	String challenge(TollgateError error) {
		if (error.dpopChallenge()) {
			return dpopChallenge(error);
		}
		StringBuilder challenge = new StringBuilder("Bearer realm=\"").append(this.realm).append('"');
		if (error.challengeCode()) {
			challenge.append(", error=\"").append(error.code()).append('"');
			challenge.append(", error_description=\"").append(error.description()).append('"');
		}
		return challenge.toString();
	}

	/**
	 * A DPoP challenge (RFC 9449 §7.1): {@code algs}, then the error if its code belongs
	 * in a challenge.
	 */
	private String dpopChallenge(TollgateError error) {
		String algorithms = (this.dpopAlgorithms != null) ? this.dpopAlgorithms : "ES256 EdDSA RS256 PS256";
		StringBuilder challenge = new StringBuilder("DPoP algs=\"").append(algorithms).append('"');
		if (error.challengeCode()) {
			challenge.append(", error=\"").append(error.code()).append('"');
			challenge.append(", error_description=\"").append(error.description()).append('"');
		}
		return challenge.toString();
	}

	/**
	 * The problem+json body for {@code error} about the request at {@code instance}, for
	 * writers below Spring.
	 */
	public byte[] body(TollgateError error, String instance) {
		String json = "{\"type\":\"about:blank\",\"title\":\"" + error.status().getReasonPhrase() + "\",\"status\":"
				+ error.status().value() + ",\"detail\":\"" + escape(error.description()) + "\",\"instance\":\""
				+ escape(instance) + "\",\"error\":\"" + error.code() + "\"}";
		return json.getBytes(StandardCharsets.UTF_8);
	}

	/** Escapes a string for a JSON string literal (RFC 8259 §7). */
	static String escape(String value) {
		StringBuilder out = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

}
