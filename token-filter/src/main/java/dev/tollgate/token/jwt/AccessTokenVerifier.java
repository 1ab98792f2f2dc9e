package dev.tollgate.token.jwt;

import java.time.Clock;
import java.util.Date;

import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.observe.TokenRejection;
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
 * Verifies access tokens. Built once; thread-safe. Beyond signature, {@code iss},
 * {@code aud}, {@code exp} and {@code nbf}, it enforces what jjwt does not by default
 * (RFC 8725 §3, RFC 9068 §4), composed of three parts:
 * <ul>
 * <li>the size and shape of the compact form are bounded before anything is decoded
 * (here);</li>
 * <li>{@link AccessTokenHeaderPolicy}: the algorithm pinned to the configured one,
 * {@code typ} {@code at+jwt}, no key or key URL taken from the header, {@code kid} naming
 * a configured key;</li>
 * <li>{@link AccessTokenClaimsValidator}: {@code exp}, {@code iat} and {@code jti}
 * present, {@code sub} and {@code roles} safe for the identity headers ({@code exp} and
 * {@code iat} must be JSON numbers: {@link StrictJsonDeserializer});</li>
 * </ul>
 * and a token that passed is remembered by the {@link ValidatedTokenCache} until its
 * {@code exp}. The cache belongs to this verifier and its keys: keys change only with a
 * new verifier, or call {@link #invalidateCache()}. Whether a session is revoked is
 * decided by the caller on every request, cached or not. Every rejection is a
 * {@link TollgateErrorException} with a fixed description.
 */
public final class AccessTokenVerifier {

	/** Longest token accepted; ours are well under 1 KB. */
	public static final int MAX_TOKEN_LENGTH = 4096;

	private final AccessTokenHeaderPolicy headers;

	private final AccessTokenClaimsValidator claims;

	private final ValidatedTokenCache cache;

	private final JwtParser parser;

	public AccessTokenVerifier(AccessTokenSettings settings, ValidatedTokenCacheSettings cache, SigningKeys keys,
			Clock clock) {
		long clockSkewSeconds = settings.clockSkew().toSeconds();
		StrictJsonDeserializer json = new StrictJsonDeserializer();
		this.headers = new AccessTokenHeaderPolicy(keys, json);
		this.claims = new AccessTokenClaimsValidator(clock, clockSkewSeconds);
		this.cache = new ValidatedTokenCache(cache, clock, clockSkewSeconds);
		this.parser = Jwts.parser()
			.keyLocator(this.headers.keyLocator())
			.sig()
			.clear()
			.add(keys.algorithm().jws())
			.and()
			.zip()
			.clear()
			.and()
			.json(json)
			.requireIssuer(settings.issuer())
			.requireAudience(settings.audience())
			.clock(() -> Date.from(clock.instant()))
			.clockSkewSeconds(clockSkewSeconds)
			.build();
	}

	/**
	 * Verifies {@code token}, from the validated-token cache when it passed before.
	 * @return the identity it proves
	 * @throws TollgateErrorException with an {@code invalid_token} error saying why it
	 * was rejected
	 */
	public VerifiedAccessToken verify(String token) {
		return this.cache.get(token, this::verifyUncached);
	}

	/** Forgets every validated token, e.g. after the verification keys changed. */
	public void invalidateCache() {
		this.cache.invalidateAll();
	}

	/** Tokens held by the validated-token cache (an estimate); 0 when it is disabled. */
	public long cachedTokens() {
		return this.cache.size();
	}

	private VerifiedAccessToken verifyUncached(String token) {
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw InvalidToken.of(TokenRejection.MALFORMED, "token too large");
		}
		// header.payload.signature, base64url; an empty signature passes here so that
		// alg: none is named as such
		int firstDot = token.indexOf('.');
		int secondDot = (firstDot > 0) ? token.indexOf('.', firstDot + 1) : -1;
		if (secondDot < 0 || secondDot == firstDot + 1 || !isBase64Url(token, 0, firstDot)
				|| !isBase64Url(token, firstDot + 1, secondDot) || !isBase64Url(token, secondDot + 1, token.length())) {
			throw InvalidToken.of(TokenRejection.MALFORMED, "malformed token");
		}
		this.headers.check(token.substring(0, firstDot));
		String signature = token.substring(secondDot + 1);
		if (signature.isEmpty()) {
			throw InvalidToken.of(TokenRejection.BAD_SIGNATURE, "invalid signature");
		}
		Claims verified;
		try {
			verified = this.parser.parseSignedClaims(token).getPayload();
		}
		catch (ExpiredJwtException ex) {
			throw InvalidToken.of(TokenRejection.EXPIRED, "token expired");
		}
		catch (PrematureJwtException ex) {
			throw InvalidToken.of(TokenRejection.NOT_YET_VALID, "token not yet valid");
		}
		catch (MissingClaimException | IncorrectClaimException ex) {
			throw InvalidToken.of(AccessTokenClaimsValidator.rejection(ex.getClaimName()),
					"invalid " + ex.getClaimName() + " claim");
		}
		catch (SecurityException ex) {
			throw InvalidToken.of(TokenRejection.BAD_SIGNATURE, "invalid signature");
		}
		catch (JwtException ex) {
			throw InvalidToken.of(TokenRejection.MALFORMED, "malformed token");
		}
		// checked after the signature, so that a damaged signature is still reported as
		// such
		if (!isCanonicalBase64Url(signature)) {
			throw InvalidToken.of(TokenRejection.MALFORMED, "malformed token");
		}
		return this.claims.validate(verified);
	}

	/**
	 * Whether {@code text[start, end)} holds only base64url characters (RFC 4648 §5, no
	 * padding).
	 */
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
	 * Whether the unpadded base64url text has no bits set past its last byte (RFC 4648
	 * §3.5). Decoders ignore those bits, so without this check one signature has several
	 * spellings and one token several strings.
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
		int value = (last >= 'A' && last <= 'Z') ? last - 'A' : (last >= 'a' && last <= 'z') ? last - 'a' + 26
				: (last >= '0' && last <= '9') ? last - '0' + 52 : (last == '-') ? 62 : 63;
		return (value & ((1 << unusedBits) - 1)) == 0;
	}

}
