package dev.tollgate.token.jwt;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.observe.TokenRejection;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.security.SecurityException;

/**
 * Verifies access tokens. Built once; thread-safe.
 * <p>
 * <b>Validated-token cache.</b> Clients present the same token for its whole lifetime, so a token that passed every
 * check is remembered (key: the exact token string; value: the {@link VerifiedAccessToken}) and accepted again
 * without being parsed or its signature verified, after {@code exp} and {@code nbf} are checked against the
 * {@link Clock}. An entry never outlives {@code exp} plus the clock skew; the cache holds at most
 * {@link ValidatedTokenCacheSettings#maxSize()} entries (0 disables it) and never a rejected token, so a token
 * refused once is refused always. The cache belongs to this verifier and its keys: keys change only with a new
 * verifier, or call {@link #invalidateCache()}. Whether a session is revoked is decided by the caller on every
 * request, cached or not.
 * <p> Beyond signature, {@code iss}, {@code aud}, {@code exp}
 * and {@code nbf}, it enforces what jjwt does not by default (RFC 8725 §3, RFC 9068 §4): the algorithm is
 * pinned to the configured one, {@code typ} must be {@code at+jwt}, {@code exp} and {@code iat} must be
 * present JSON numbers, no key or key URL is taken from the header ({@code jwk}, {@code jku}, {@code x5u},
 * {@code x5c}), {@code kid} must name a configured key, and the size and shape are bounded before parsing.
 * Every rejection is a {@link TollgateErrorException} with a fixed description.
 */
public final class AccessTokenVerifier {

	/** Longest token accepted; ours are well under 1 KB. */
	public static final int MAX_TOKEN_LENGTH = 4096;

	/** Header parameters never honoured, in the order they are reported. */
	private static final List<String> FORBIDDEN_HEADERS = List.of("jwk", "jku", "x5u", "x5c", "crit", "b64", "zip");

	/** Most accepted header segments remembered; legitimate traffic has one per configured key. */
	private static final int MAX_ACCEPTED_HEADERS = 32;

	private final Deserializer<Map<String, ?>> json = new StrictJsonDeserializer();

	/**
	 * Header segments that already passed {@link #checkHeader}: every token signed by one key shares the same
	 * header, so it is decoded and checked once, not once per request. Bounded, and only ever holds headers
	 * that passed, so a hostile header is always checked.
	 */
	private final Set<String> acceptedHeaders = ConcurrentHashMap.newKeySet();

	private final JwtParser parser;

	private final SigningKeys keys;

	private final Clock clock;

	private final long clockSkewSeconds;

	/** Tokens that passed every check; {@code null} when disabled. */
	private final Cache<String, VerifiedAccessToken> verified;

	public AccessTokenVerifier(AccessTokenSettings settings, ValidatedTokenCacheSettings cache, SigningKeys keys,
			Clock clock) {
		this.keys = keys;
		this.clock = clock;
		this.clockSkewSeconds = settings.clockSkew().toSeconds();
		this.verified = cache(cache.maxSize(), clock, this.clockSkewSeconds);
		this.parser = Jwts.parser()
			.keyLocator(new PinnedKeyLocator())
			.sig()
			.clear()
			.add(keys.algorithm().jws())
			.and()
			.zip()
			.clear()
			.and()
			.json(this.json)
			.requireIssuer(settings.issuer())
			.requireAudience(settings.audience())
			.clock(() -> Date.from(clock.instant()))
			.clockSkewSeconds(this.clockSkewSeconds)
			.build();
	}

	/**
	 * Entries expire at the token's {@code exp} plus the skew, on a ticker driven by the injected clock. The cache's
	 * maintenance (buffer drains, eviction, expiry) runs on the calling thread: handing it to the common pool cost a
	 * thread wake-up per insertion and per drained read buffer, several microseconds on the one core a gateway
	 * often has, for a few hundred nanoseconds of work (docs/benchmarks.md, "A first-seen token").
	 */
	private static Cache<String, VerifiedAccessToken> cache(long maxSize, Clock clock, long skewSeconds) {
		if (maxSize == 0) {
			return null;
		}
		return Caffeine.newBuilder()
			.maximumSize(maxSize)
			.executor(Runnable::run)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(Expiry.creating((String token, VerifiedAccessToken identity) -> Duration
				.between(clock.instant(), identity.expiresAt().plusSeconds(skewSeconds))))
			.build();
	}

	/**
	 * Verifies {@code token}, from the validated-token cache when it passed before.
	 * @return the identity it proves
	 * @throws TollgateErrorException with an {@code invalid_token} error saying why it was rejected
	 */
	public VerifiedAccessToken verify(String token) {
		if (this.verified == null) {
			return verifyUncached(token);
		}
		VerifiedAccessToken cached = this.verified.getIfPresent(token);
		if (cached != null) {
			checkTimes(cached);
			return cached;
		}
		VerifiedAccessToken identity = verifyUncached(token);
		this.verified.put(token, identity);
		return identity;
	}

	/** Forgets every validated token, e.g. after the verification keys changed. */
	public void invalidateCache() {
		if (this.verified != null) {
			this.verified.invalidateAll();
		}
	}

	/** Tokens held by the validated-token cache (an estimate); 0 when it is disabled. */
	public long cachedTokens() {
		if (this.verified == null) {
			return 0;
		}
		this.verified.cleanUp();
		return this.verified.estimatedSize();
	}

	/** {@code exp} and {@code nbf} of a cached token against the clock, with jjwt's skew semantics. */
	private void checkTimes(VerifiedAccessToken token) {
		Instant now = this.clock.instant();
		if (now.minusSeconds(this.clockSkewSeconds).isAfter(token.expiresAt())) {
			throw invalid(TokenRejection.EXPIRED, "token expired");
		}
		if (token.notBefore() != null && now.plusSeconds(this.clockSkewSeconds).isBefore(token.notBefore())) {
			throw invalid(TokenRejection.NOT_YET_VALID, "token not yet valid");
		}
	}

	private VerifiedAccessToken verifyUncached(String token) {
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw invalid(TokenRejection.MALFORMED, "token too large");
		}
		// header.payload.signature, base64url; an empty signature passes here so that alg: none is named as such
		int firstDot = token.indexOf('.');
		int secondDot = (firstDot > 0) ? token.indexOf('.', firstDot + 1) : -1;
		if (secondDot < 0 || secondDot == firstDot + 1 || !isBase64Url(token, 0, firstDot)
				|| !isBase64Url(token, firstDot + 1, secondDot) || !isBase64Url(token, secondDot + 1, token.length())) {
			throw invalid(TokenRejection.MALFORMED, "malformed token");
		}
		String header = token.substring(0, firstDot);
		if (!this.acceptedHeaders.contains(header)) {
			checkHeader(decodeHeader(header));
			rememberAccepted(header);
		}
		String signature = token.substring(secondDot + 1);
		if (signature.isEmpty()) {
			throw invalid(TokenRejection.BAD_SIGNATURE, "invalid signature");
		}
		Claims claims;
		try {
			claims = this.parser.parseSignedClaims(token).getPayload();
		}
		catch (ExpiredJwtException ex) {
			throw invalid(TokenRejection.EXPIRED, "token expired");
		}
		catch (PrematureJwtException ex) {
			throw invalid(TokenRejection.NOT_YET_VALID, "token not yet valid");
		}
		catch (MissingClaimException | IncorrectClaimException ex) {
			throw invalid(claimRejection(ex.getClaimName()), "invalid " + ex.getClaimName() + " claim");
		}
		catch (SecurityException ex) {
			throw invalid(TokenRejection.BAD_SIGNATURE, "invalid signature");
		}
		catch (JwtException ex) {
			throw invalid(TokenRejection.MALFORMED, "malformed token");
		}
		// checked after the signature, so that a damaged signature is still reported as such
		if (!isCanonicalBase64Url(signature)) {
			throw invalid(TokenRejection.MALFORMED, "malformed token");
		}
		return toVerified(claims);
	}

	/** Whether {@code text[start, end)} holds only base64url characters (RFC 4648 §5, no padding). */
	private static boolean isBase64Url(String text, int start, int end) {
		for (int i = start; i < end; i++) {
			char c = text.charAt(i);
			if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether the unpadded base64url text has no bits set past its last byte (RFC 4648 §3.5). Decoders ignore
	 * those bits, so without this check one signature has several spellings and one token several strings.
	 */
	static boolean isCanonicalBase64Url(String text) {
		int unusedBits = switch (text.length() % 4) {
			case 0 -> 0;
			case 2 -> 4;
			case 3 -> 2;
			default -> -1;
		};
		if (unusedBits < 0) {
			return false;
		}
		char last = text.charAt(text.length() - 1);
		int value = (last >= 'A' && last <= 'Z') ? last - 'A'
				: (last >= 'a' && last <= 'z') ? last - 'a' + 26
						: (last >= '0' && last <= '9') ? last - '0' + 52 : (last == '-') ? 62 : 63;
		return (value & ((1 << unusedBits) - 1)) == 0;
	}

	private void rememberAccepted(String header) {
		if (this.acceptedHeaders.size() < MAX_ACCEPTED_HEADERS) {
			this.acceptedHeaders.add(header);
		}
	}

	/**
	 * Decodes the protected header ahead of jjwt, which rejects {@code alg: none}, an unknown {@code alg} or
	 * {@code crit} before any key locator runs, and would report them as a malformed token or a bad signature.
	 */
	private Map<String, ?> decodeHeader(String segment) {
		try {
			byte[] bytes = Base64.getUrlDecoder().decode(segment);
			return this.json.deserialize(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
		}
		catch (IllegalArgumentException | JwtException ex) {
			throw invalid(TokenRejection.MALFORMED, "malformed token");
		}
	}

	/**
	 * The header checks of RFC 8725 §3.1, §3.10 and §3.11: the algorithm is exactly the configured one (no
	 * {@code none}, no HMAC keyed with a public key), no embedded key or key URL, no extension we would have
	 * to understand, and {@code typ} is {@code at+jwt} (RFC 9068 §4).
	 */
	private void checkHeader(Map<String, ?> header) {
		for (String name : FORBIDDEN_HEADERS) {
			if (header.containsKey(name)) {
				throw invalid(TokenRejection.FORBIDDEN_HEADER, "header parameter " + name + " not accepted");
			}
		}
		if (!this.keys.algorithm().id().equals(header.get("alg"))) {
			throw invalid(TokenRejection.ALGORITHM, "algorithm not accepted");
		}
		if (!(header.get("typ") instanceof String type) || !(type.equalsIgnoreCase(AccessTokenIssuer.TOKEN_TYPE)
				|| type.equalsIgnoreCase("application/" + AccessTokenIssuer.TOKEN_TYPE))) {
			throw invalid(TokenRejection.WRONG_TYPE, "wrong token type");
		}
	}

	private VerifiedAccessToken toVerified(Claims claims) {
		Date expiration = claims.getExpiration();
		if (expiration == null) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "missing exp claim");
		}
		Date issuedAt = claims.getIssuedAt();
		if (issuedAt == null) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "missing iat claim");
		}
		if (issuedAt.toInstant().isAfter(this.clock.instant().plusSeconds(this.clockSkewSeconds))) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "token issued in the future");
		}
		if (!ClaimRules.isValidSubject(claims.get(Claims.SUBJECT))) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "invalid sub claim");
		}
		Object roles = claims.getOrDefault(ClaimRules.ROLES, List.of());
		if (!ClaimRules.isValidRoles(roles)) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "invalid roles claim");
		}
		Object sessionId = claims.get(ClaimRules.SESSION_ID);
		if (sessionId != null && !(sessionId instanceof String)) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "invalid sid claim");
		}
		if (claims.getId() == null) {
			throw invalid(TokenRejection.INVALID_CLAIMS, "missing jti claim");
		}
		@SuppressWarnings("unchecked")
		List<String> roleList = (List<String>) roles;
		Date notBefore = claims.getNotBefore();
		return new VerifiedAccessToken(claims.getSubject(), roleList, (String) sessionId, claims.getId(),
				expiration.toInstant(), (notBefore != null) ? notBefore.toInstant() : null);
	}

	private static TollgateErrorException invalid(TokenRejection rejection, String description) {
		return TollgateErrors.invalidToken(rejection, description).exception();
	}

	private static TokenRejection claimRejection(String claim) {
		if (Claims.ISSUER.equals(claim)) {
			return TokenRejection.WRONG_ISSUER;
		}
		return Claims.AUDIENCE.equals(claim) ? TokenRejection.WRONG_AUDIENCE : TokenRejection.INVALID_CLAIMS;
	}

	/**
	 * Chooses the verification key from our own configuration only: {@code kid} must name a configured key.
	 * The header was checked by {@link #checkHeader} before jjwt got the token, and jjwt's algorithm registry
	 * holds only the configured algorithm. What this throws reaches {@link #verify} unwrapped.
	 */
	private final class PinnedKeyLocator extends LocatorAdapter<Key> {

		@Override
		protected Key locate(JwsHeader header) {
			Key key = keys.verificationKey(header.getKeyId());
			if (key == null) {
				throw invalid(TokenRejection.UNKNOWN_KEY, "unknown key id");
			}
			return key;
		}

	}

}
