package dev.tollgate.routes.endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningKeys;
import reactor.core.publisher.Mono;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The gateway's public keys as JWK Sets (RFC 7517 §5), each key with its {@code kid},
 * {@code "use": "sig"} and {@code alg}. {@code GET /.well-known/jwks.json}: the
 * access-token keys, so that services can verify access tokens themselves, and the keys
 * of the signed identity for backends; 404 under HS256, whose access-token key is secret.
 * {@code GET /.well-known/tollgate-assertion-keys.json}: the assertion keys alone,
 * whatever the access-token algorithm (so that backends of an HS256 gateway verify
 * assertions too); 404 when assertions are off.
 */
public final class JwksEndpoint {

	private static final CacheControl FIVE_MINUTES = CacheControl.maxAge(Duration.ofMinutes(5)).cachePublic();

	private final Map<String, Object> jwkSet;

	private final Map<String, Object> assertionKeys;

	/** The access-token keys only (no signed identity for backends). */
	public JwksEndpoint(SigningKeys keys) {
		this(keys, null);
	}

	/**
	 * @param keys the access-token keys
	 * @param assertions the assertion issuer, whose keys are published too; {@code null}
	 * when assertions are off
	 */
	public JwksEndpoint(SigningKeys keys, AssertionIssuer assertions) {
		List<Map<String, ?>> assertionJwks = (assertions != null) ? assertions.publicJwks() : List.of();
		List<Map<String, ?>> all = new ArrayList<>(keys.publicJwks());
		all.addAll(assertionJwks);
		this.jwkSet = keys.algorithm().isSymmetric() ? null : Map.of("keys", List.copyOf(all));
		this.assertionKeys = (assertions != null) ? Map.of("keys", assertionJwks) : null;
	}

	/** Answers the JWK Set of every public key. */
	public Mono<ServerResponse> jwks(ServerRequest request) {
		return answer(this.jwkSet);
	}

	/** Answers the JWK Set of the assertion keys. */
	public Mono<ServerResponse> assertionKeys(ServerRequest request) {
		return answer(this.assertionKeys);
	}

	private static Mono<ServerResponse> answer(Map<String, Object> jwkSet) {
		if (jwkSet == null) {
			return ServerResponse.notFound().build();
		}
		return ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).cacheControl(FIVE_MINUTES).bodyValue(jwkSet);
	}

}
