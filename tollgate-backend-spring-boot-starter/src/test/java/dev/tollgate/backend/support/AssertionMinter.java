package dev.tollgate.backend.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;

/**
 * Mints assertions as the gateway does (ASSERTION-DESIGN.md), with jjwt, and forged ones
 * by hand. Defaults: issuer {@value #ISSUER}, audience {@value #AUDIENCE}, subject
 * {@value #SUBJECT}, roles [user], sid {@value #SESSION_ID}, 60 s lifetime.
 */
public final class AssertionMinter {

	public static final String TYPE = "tollgate-assertion+jwt";

	public static final String ISSUER = "tollgate";

	public static final String AUDIENCE = "orders-service";

	public static final String SUBJECT = "alice";

	public static final String SESSION_ID = "session-1";

	private AssertionMinter() {
	}

	/** A valid assertion signed by {@code key}, issued at {@code now}. */
	public static String mint(TestKey key, Instant now) {
		return mint(key, now, (builder) -> {
		});
	}

	/**
	 * An assertion signed by {@code key}, issued at {@code now}, changed by
	 * {@code customizer} before signing.
	 */
	public static String mint(TestKey key, Instant now, Consumer<JwtBuilder> customizer) {
		JwtBuilder builder = Jwts.builder()
			.header()
			.type(TYPE)
			.keyId(key.id())
			.and()
			.issuer(ISSUER)
			.subject(SUBJECT)
			.claim("roles", List.of("user"))
			.claim("sid", SESSION_ID)
			.issuedAt(Date.from(now))
			.expiration(Date.from(now.plusSeconds(60)))
			.id(UUID.randomUUID().toString());
		audience(builder, AUDIENCE);
		customizer.accept(builder);
		return builder.signWith(key.keyPair().getPrivate(), key.signatureAlgorithm()).compact();
	}

	/**
	 * Sets {@code aud} to the one string {@code audience}, as the gateway writes it. jjwt
	 * deprecates the single-string form in favour of a set, which it writes as an array.
	 */
	@SuppressWarnings("deprecation")
	public static JwtBuilder audience(JwtBuilder builder, String audience) {
		return builder.audience().single(audience);
	}

	/**
	 * An assertion as {@link #mint(TestKey, Instant)} makes, but with {@code alg: HS256}
	 * keyed by {@code secret}: what an attacker who knows a public key would try, keyed
	 * with its bytes.
	 */
	public static String mintHs256(byte[] secret, String keyId, Instant now) {
		return Jwts.builder()
			.header()
			.type(TYPE)
			.keyId(keyId)
			.and()
			.issuer(ISSUER)
			.subject("admin")
			.claim("roles", List.of("admin"))
			.claim("aud", AUDIENCE)
			.issuedAt(Date.from(now))
			.expiration(Date.from(now.plusSeconds(60)))
			.signWith(Keys.hmacShaKeyFor(secret), Jwts.SIG.HS256)
			.compact();
	}

	/** The usual claims as JSON, issued at {@code now}, for hand-made assertions. */
	public static String claimsJson(Instant now) {
		return "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + SUBJECT
				+ "\",\"roles\":[\"user\"],\"iat\":" + now.getEpochSecond() + ",\"exp\":" + (now.getEpochSecond() + 60)
				+ ",\"jti\":\"" + UUID.randomUUID() + "\"}";
	}

	/** The usual header as JSON for an Ed25519 {@code key}. */
	public static String headerJson(TestKey key) {
		return "{\"typ\":\"" + TYPE + "\",\"alg\":\"EdDSA\",\"kid\":\"" + key.id() + "\"}";
	}

	/**
	 * {@code header} and {@code claims} exactly as written, signed by the Ed25519
	 * {@code key}.
	 */
	public static String signRaw(TestKey key, String header, String claims) {
		String input = encode(header) + "." + encode(claims);
		try {
			Signature signature = Signature.getInstance("Ed25519");
			signature.initSign(key.keyPair().getPrivate());
			signature.update(input.getBytes(StandardCharsets.US_ASCII));
			return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * {@code header} and {@code claims} exactly as written, with {@code signature} as the
	 * third segment.
	 */
	public static String unsigned(String header, String claims, String signature) {
		return encode(header) + "." + encode(claims) + "." + signature;
	}

	private static String encode(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
