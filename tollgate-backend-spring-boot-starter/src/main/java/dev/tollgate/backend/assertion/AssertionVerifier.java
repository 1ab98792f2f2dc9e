package dev.tollgate.backend.assertion;

import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import dev.tollgate.backend.jwks.JwkSetCache;
import dev.tollgate.backend.jwks.VerificationKey;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.security.SecurityException;

/**
 * Verifies the gateway's assertion (RFC 7515 compact JWS) and says whom it names. Built
 * once; thread-safe.
 * <p>
 * Checks, in this order, each failure an {@link InvalidAssertionException} with a fixed
 * description: at most {@link #MAX_LENGTH} characters of three base64url segments with a
 * signature; a header without an embedded key, key URL or extension ({@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c}, {@code crit}, {@code b64}, {@code zip}), with
 * {@code typ} exactly {@link #TYPE} (so an access token, {@code at+jwt}, is refused),
 * {@code alg} {@code EdDSA} or {@code ES256} (never {@code none} nor an HMAC), and a
 * {@code kid}; the {@code kid} names a key of the gateway's JWK Set made for that
 * {@code alg} (RFC 8725 §3.1); the signature; {@code iss} and {@code aud} equal to the
 * configured ones; {@code exp} and {@code iat} present JSON numbers, {@code exp} not
 * passed and {@code iat} not in the future, both with the skew; {@code sub} a non-empty
 * string, {@code roles} an array of strings, {@code sid} a string. One jjwt parser per
 * key, built the first time the key verifies, pins that key and its one algorithm.
 */
public final class AssertionVerifier {

	/** The {@code typ} of every assertion, and of nothing else the gateway signs. */
	public static final String TYPE = "tollgate-assertion+jwt";

	/** Longest assertion accepted; the gateway's are well under 1 KB. */
	public static final int MAX_LENGTH = 8 * 1024;

	/** Most parsers kept; a gateway publishes a handful of assertion keys. */
	private static final int MAX_PARSERS = 32;

	private final StrictJsonDeserializer json = new StrictJsonDeserializer();

	private final Map<VerificationKey, JwtParser> parsers = new ConcurrentHashMap<>();

	private final AssertionSettings settings;

	private final JwkSetCache keys;

	private final Clock clock;

	public AssertionVerifier(AssertionSettings settings, JwkSetCache keys, Clock clock) {
		this.settings = settings;
		this.keys = keys;
		this.clock = clock;
	}

	/**
	 * Verifies {@code assertion}. Completes at once when its key is known, else when the
	 * JWK Set was fetched again.
	 * @return the user it names; fails with {@link InvalidAssertionException} when it is
	 * not valid
	 */
	public CompletableFuture<TollgatePrincipal> verify(String assertion) {
		AssertionHeader header;
		try {
			header = AssertionHeader.read(assertion, this.json);
		}
		catch (InvalidAssertionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.keys.find(header.keyId()).thenApply((key) -> verify(assertion, header, key));
	}

	private TollgatePrincipal verify(String assertion, AssertionHeader header, VerificationKey key) {
		if (key == null) {
			throw new InvalidAssertionException("unknown kid");
		}
		if (!key.algorithm().equals(header.algorithm())) {
			throw new InvalidAssertionException("algorithm does not match the key");
		}
		Claims claims;
		try {
			claims = parser(key).parseSignedClaims(assertion).getPayload();
		}
		catch (ExpiredJwtException ex) {
			throw new InvalidAssertionException("assertion expired");
		}
		catch (PrematureJwtException ex) {
			throw new InvalidAssertionException("assertion not yet valid");
		}
		catch (MissingClaimException | IncorrectClaimException ex) {
			throw new InvalidAssertionException("invalid " + ex.getClaimName() + " claim");
		}
		catch (SecurityException ex) {
			throw new InvalidAssertionException("invalid signature");
		}
		catch (JwtException ex) {
			// including a header or claims document that the strict reader refused: jjwt
			// reports it as content
			throw new InvalidAssertionException("malformed assertion");
		}
		return principal(claims);
	}

	private JwtParser parser(VerificationKey key) {
		JwtParser parser = this.parsers.get(key);
		if (parser == null) {
			if (this.parsers.size() >= MAX_PARSERS) {
				this.parsers.clear();
			}
			parser = this.parsers.computeIfAbsent(key, this::newParser);
		}
		return parser;
	}

	private JwtParser newParser(VerificationKey key) {
		return Jwts.parser()
			.verifyWith(key.publicKey())
			.sig()
			.clear()
			.add(VerificationKey.EDDSA.equals(key.algorithm()) ? Jwts.SIG.EdDSA : Jwts.SIG.ES256)
			.and()
			.zip()
			.clear()
			.and()
			.json(this.json)
			.requireIssuer(this.settings.issuer())
			.requireAudience(this.settings.audience())
			.clock(() -> Date.from(this.clock.instant()))
			.clockSkewSeconds(this.settings.clockSkew().toSeconds())
			.build();
	}

	private TollgatePrincipal principal(Claims claims) {
		if (claims.getExpiration() == null) {
			throw new InvalidAssertionException("missing exp claim");
		}
		if (claims.getIssuedAt() == null) {
			throw new InvalidAssertionException("missing iat claim");
		}
		if (claims.getIssuedAt().toInstant().isAfter(this.clock.instant().plus(this.settings.clockSkew()))) {
			throw new InvalidAssertionException("assertion issued in the future");
		}
		if (!(claims.get(Claims.SUBJECT) instanceof String subject) || subject.isEmpty()) {
			throw new InvalidAssertionException("invalid sub claim");
		}
		Object roles = claims.getOrDefault("roles", List.of());
		if (!(roles instanceof List<?> list) || !list.stream().allMatch((r) -> r instanceof String s && !s.isEmpty())) {
			throw new InvalidAssertionException("invalid roles claim");
		}
		Object sessionId = claims.get("sid");
		if (sessionId != null && !(sessionId instanceof String)) {
			throw new InvalidAssertionException("invalid sid claim");
		}
		@SuppressWarnings("unchecked")
		List<String> roleList = (List<String>) list;
		return new TollgatePrincipal(subject, roleList, (String) sessionId);
	}

}
