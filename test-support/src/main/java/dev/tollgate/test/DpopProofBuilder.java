package dev.tollgate.test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import tools.jackson.databind.json.JsonMapper;

/**
 * One DPoP proof for tests, built member by member and signed by {@link #sign()}; every
 * setter returns this builder. Made by {@link DpopProofs#proof}.
 */
public final class DpopProofBuilder {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final KeyPair keys;

	private final Map<String, Object> header = new LinkedHashMap<>();

	private final Map<String, Object> claims = new LinkedHashMap<>();

	private byte[] hmacSecret;

	private boolean unsigned;

	DpopProofBuilder(KeyPair keys) {
		this.keys = keys;
		String alg = switch (keys.getPublic().getAlgorithm()) {
			case "EC" -> "ES256";
			case "RSA" -> "RS256";
			default -> "EdDSA";
		};
		this.header.put("typ", "dpop+jwt");
		this.header.put("alg", alg);
		this.header.put("jwk", DpopProofs.publicJwk(keys.getPublic()));
		this.claims.put("jti", UUID.randomUUID().toString());
		this.claims.put("htm", "GET");
		this.claims.put("htu", "http://localhost/");
		this.claims.put("iat", Instant.now().getEpochSecond());
	}

	/** The {@code alg}: ES256, EdDSA, RS256 or PS256 (signed accordingly). */
	public DpopProofBuilder alg(String alg) {
		return header("alg", alg);
	}

	public DpopProofBuilder htm(String method) {
		return claim("htm", method);
	}

	public DpopProofBuilder htu(String uri) {
		return claim("htu", uri);
	}

	public DpopProofBuilder iat(Instant issuedAt) {
		return claim("iat", issuedAt.getEpochSecond());
	}

	public DpopProofBuilder jti(String jti) {
		return claim("jti", jti);
	}

	/** The {@code ath} of {@code accessToken}. */
	public DpopProofBuilder ath(String accessToken) {
		return claim("ath", DpopProofs.ath(accessToken));
	}

	public DpopProofBuilder nonce(String nonce) {
		return claim("nonce", nonce);
	}

	/** Another {@code typ}, e.g. {@code JWT}. */
	public DpopProofBuilder typ(String typ) {
		return header("typ", typ);
	}

	/** Any header member; {@code null} removes it. */
	public DpopProofBuilder header(String name, Object value) {
		put(this.header, name, value);
		return this;
	}

	/** Any claim; {@code null} removes it. */
	public DpopProofBuilder claim(String name, Object value) {
		put(this.claims, name, value);
		return this;
	}

	/** The {@code jwk} of another public key (the signature is still by this key). */
	public DpopProofBuilder jwkOf(PublicKey other) {
		return header("jwk", DpopProofs.publicJwk(other));
	}

	/**
	 * Adds the private key's {@code d} (EC) or RSA private members to {@code jwk}.
	 */
	public DpopProofBuilder privateKeyInJwk() {
		@SuppressWarnings("unchecked")
		Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) this.header.get("jwk"));
		PrivateKey key = this.keys.getPrivate();
		if (key instanceof ECPrivateKey ec) {
			jwk.put("d", BASE64URL.encodeToString(DpopProofs.fixed(ec.getS(), 32)));
		}
		else if (key instanceof RSAPrivateCrtKey rsa) {
			jwk.put("d", BASE64URL.encodeToString(DpopProofs.unsigned(rsa.getPrivateExponent())));
			jwk.put("p", BASE64URL.encodeToString(DpopProofs.unsigned(rsa.getPrimeP())));
			jwk.put("q", BASE64URL.encodeToString(DpopProofs.unsigned(rsa.getPrimeQ())));
		}
		else {
			byte[] encoded = key.getEncoded();
			jwk.put("d", BASE64URL.encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
		}
		return header("jwk", jwk);
	}

	/** {@code alg: none} and an empty signature. */
	public DpopProofBuilder algNone() {
		this.unsigned = true;
		return alg("none");
	}

	/** {@code alg: HS256}, a MAC under {@code secret}. */
	public DpopProofBuilder hs256(byte[] secret) {
		this.hmacSecret = secret.clone();
		return alg("HS256");
	}

	/** The compact JWS. */
	public String sign() {
		String input = part(this.header) + "." + part(this.claims);
		if (this.unsigned) {
			return input + ".";
		}
		return input + "." + BASE64URL.encodeToString(signature(input.getBytes(StandardCharsets.US_ASCII)));
	}

	private byte[] signature(byte[] input) {
		try {
			if (this.hmacSecret != null) {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(new SecretKeySpec(this.hmacSecret, "HmacSHA256"));
				return mac.doFinal(input);
			}
			Signature signer = switch (String.valueOf(this.header.get("alg"))) {
				case "ES256" -> Signature.getInstance("SHA256withECDSAinP1363Format");
				case "RS256" -> Signature.getInstance("SHA256withRSA");
				case "PS256" -> {
					Signature pss = Signature.getInstance("RSASSA-PSS");
					pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
					yield pss;
				}
				default -> Signature.getInstance("Ed25519");
			};
			signer.initSign(this.keys.getPrivate());
			signer.update(input);
			return signer.sign();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String part(Map<String, Object> members) {
		return BASE64URL.encodeToString(JSON.writeValueAsBytes(members));
	}

	private static void put(Map<String, Object> members, String name, Object value) {
		if (value == null) {
			members.remove(name);
		}
		else {
			members.put(name, value);
		}
	}

}
