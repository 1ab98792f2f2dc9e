package dev.tollgate.token.jwt;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.token.observe.TokenRejection;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.io.Deserializer;

/**
 * The header policy of access tokens, RFC 8725 §3.1, §3.10 and §3.11: the algorithm is
 * exactly the configured one (no {@code none}, no HMAC keyed with a public key), no
 * embedded key or key URL ({@code jwk}, {@code jku}, {@code x5u}, {@code x5c}), no
 * extension we would have to understand, {@code typ} is {@code at+jwt} (RFC 9068 §4), and
 * {@code kid} names a configured key. The header is checked here, ahead of jjwt, which
 * rejects {@code alg: none}, an unknown {@code alg} or {@code crit} before any key
 * locator runs and would report them as a malformed token or a bad signature.
 */
final class AccessTokenHeaderPolicy {

	/** Header parameters never honoured, in the order they are reported. */
	private static final List<String> FORBIDDEN_HEADERS = List.of("jwk", "jku", "x5u", "x5c", "crit", "b64", "zip");

	/**
	 * Most accepted header segments remembered; legitimate traffic has one per configured
	 * key.
	 */
	private static final int MAX_ACCEPTED_HEADERS = 32;

	/**
	 * Header segments that already passed {@link #check}: every token signed by one key
	 * shares the same header, so it is decoded and checked once, not once per request.
	 * Bounded, and only ever holds headers that passed, so a hostile header is always
	 * checked.
	 */
	private final Set<String> acceptedHeaders = ConcurrentHashMap.newKeySet();

	private final SigningKeys keys;

	private final Deserializer<Map<String, ?>> json;

	AccessTokenHeaderPolicy(SigningKeys keys, Deserializer<Map<String, ?>> json) {
		this.keys = keys;
		this.json = json;
	}

	/**
	 * Checks the protected header, given as its base64url segment.
	 * @throws dev.tollgate.token.error.TollgateErrorException saying which rule the
	 * header breaks
	 */
	void check(String segment) {
		if (this.acceptedHeaders.contains(segment)) {
			return;
		}
		checkHeader(decode(segment));
		if (this.acceptedHeaders.size() < MAX_ACCEPTED_HEADERS) {
			this.acceptedHeaders.add(segment);
		}
	}

	/**
	 * Chooses the verification key from our own configuration only: {@code kid} must name
	 * a configured key. What it throws reaches the verifier's caller unwrapped.
	 */
	LocatorAdapter<Key> keyLocator() {
		return new LocatorAdapter<>() {

			@Override
			protected Key locate(JwsHeader header) {
				Key key = AccessTokenHeaderPolicy.this.keys.verificationKey(header.getKeyId());
				if (key == null) {
					throw InvalidToken.of(TokenRejection.UNKNOWN_KEY, "unknown key id");
				}
				return key;
			}

		};
	}

	private Map<String, ?> decode(String segment) {
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(segment);
			return this.json.deserialize(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
		}
		catch (IllegalArgumentException | JwtException ex) {
			throw InvalidToken.of(TokenRejection.MALFORMED, "malformed token");
		}
	}

	private void checkHeader(Map<String, ?> header) {
		for (String name : FORBIDDEN_HEADERS) {
			if (header.containsKey(name)) {
				throw InvalidToken.of(TokenRejection.FORBIDDEN_HEADER, "header parameter " + name + " not accepted");
			}
		}
		if (!this.keys.algorithm().id().equals(header.get("alg"))) {
			throw InvalidToken.of(TokenRejection.ALGORITHM, "algorithm not accepted");
		}
		if (!(header.get("typ") instanceof String type) || !(type.equalsIgnoreCase(AccessTokenIssuer.TOKEN_TYPE)
				|| type.equalsIgnoreCase("application/" + AccessTokenIssuer.TOKEN_TYPE))) {
			throw InvalidToken.of(TokenRejection.WRONG_TYPE, "wrong token type");
		}
	}

}
