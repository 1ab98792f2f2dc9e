package dev.tollgate.routes.endpoint;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.token.jwt.SigningKeys;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * {@code GET /.well-known/jwks.json}: the public verification keys as a JWK Set (RFC 7517 §5), so that
 * services can verify access tokens themselves if they wish. 404 under HS256, whose key is secret.
 */
public final class JwksEndpoint {

	private final Map<String, Object> jwkSet;

	public JwksEndpoint(SigningKeys keys) {
		this.jwkSet = keys.algorithm().isSymmetric() ? null : Map.of("keys", keys.publicJwks());
	}

	/** Answers the JWK Set. */
	public Mono<ServerResponse> jwks(ServerRequest request) {
		if (this.jwkSet == null) {
			return ServerResponse.notFound().build();
		}
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic())
			.bodyValue(this.jwkSet);
	}

}
