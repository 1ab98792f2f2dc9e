package dev.tollgate.test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
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
 * DPoP proofs (RFC 9449 §4) for tests, with plain JCA and Jackson: key pairs (ES256,
 * Ed25519, RSA 2048 for RS256 and PS256), their RFC 7638 thumbprints ({@code jkt}), and
 * proofs signed from a {@link Builder}, including deliberately bad ones (another
 * {@code typ}, {@code alg: none}, HS256, a private key in {@code jwk}). Written apart
 * from the gateway's own code, so that a test checks one against the other.
 */
public final class DpopProofs {

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private DpopProofs() {
	}

	/** A new EC P-256 key pair, for ES256. */
	public static KeyPair es256() {
		return generate("EC", new ECGenParameterSpec("secp256r1"), 0);
	}

	/** A new Ed25519 key pair, for EdDSA. */
	public static KeyPair ed25519() {
		return generate("Ed25519", null, 0);
	}

	/** A new RSA 2048 key pair, for RS256 and PS256. */
	public static KeyPair rsa2048() {
		return generate("RSA", null, 2048);
	}

	/** A new RSA key pair of {@code bits}, e.g. a too small 1024. */
	public static KeyPair rsa(int bits) {
		return generate("RSA", null, bits);
	}

	/** The public JWK of {@code key} (RFC 7517, RFC 8037), its required members only. */
	public static Map<String, Object> publicJwk(PublicKey key) {
		Map<String, Object> jwk = new LinkedHashMap<>();
		if (key instanceof ECPublicKey ec) {
			jwk.put("crv", "P-256");
			jwk.put("kty", "EC");
			jwk.put("x", BASE64URL.encodeToString(fixed(ec.getW().getAffineX(), 32)));
			jwk.put("y", BASE64URL.encodeToString(fixed(ec.getW().getAffineY(), 32)));
		}
		else if (key instanceof RSAPublicKey rsa) {
			jwk.put("e", BASE64URL.encodeToString(unsigned(rsa.getPublicExponent())));
			jwk.put("kty", "RSA");
			jwk.put("n", BASE64URL.encodeToString(unsigned(rsa.getModulus())));
		}
		else if (key instanceof EdECPublicKey) {
			byte[] encoded = key.getEncoded();
			jwk.put("crv", "Ed25519");
			jwk.put("kty", "OKP");
			jwk.put("x", BASE64URL.encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
		}
		else {
			throw new IllegalArgumentException(key.getAlgorithm());
		}
		return jwk;
	}

	/** The RFC 7638 thumbprint of {@code key}: the {@code jkt} of RFC 9449 §6. */
	public static String jkt(PublicKey key) {
		// the map is built with its members in lexicographic order, as RFC 7638 §3.3
		// wants
		return BASE64URL.encodeToString(sha256(JSON.writeValueAsString(publicJwk(key))));
	}

	/** The {@code ath} of {@code accessToken}: base64url(SHA-256). */
	public static String ath(String accessToken) {
		return BASE64URL.encodeToString(sha256(accessToken));
	}

	/**
	 * A builder of a proof signed by {@code keys}: ES256, EdDSA or RS256 by the key's
	 * type, {@code iat} now, a random {@code jti}.
	 */
	public static Builder proof(KeyPair keys) {
		return new Builder(keys);
	}

	/** Builds one proof; every setter returns this builder. */
	public static final class Builder {

		private final KeyPair keys;

		private final Map<String, Object> header = new LinkedHashMap<>();

		private final Map<String, Object> claims = new LinkedHashMap<>();

		private byte[] hmacSecret;

		private boolean unsigned;

		private Builder(KeyPair keys) {
			this.keys = keys;
			String alg = switch (keys.getPublic().getAlgorithm()) {
				case "EC" -> "ES256";
				case "RSA" -> "RS256";
				default -> "EdDSA";
			};
			this.header.put("typ", "dpop+jwt");
			this.header.put("alg", alg);
			this.header.put("jwk", publicJwk(keys.getPublic()));
			this.claims.put("jti", UUID.randomUUID().toString());
			this.claims.put("htm", "GET");
			this.claims.put("htu", "http://localhost/");
			this.claims.put("iat", Instant.now().getEpochSecond());
		}

		/** The {@code alg}: ES256, EdDSA, RS256 or PS256 (signed accordingly). */
		public Builder alg(String alg) {
			return header("alg", alg);
		}

		public Builder htm(String method) {
			return claim("htm", method);
		}

		public Builder htu(String uri) {
			return claim("htu", uri);
		}

		public Builder iat(Instant issuedAt) {
			return claim("iat", issuedAt.getEpochSecond());
		}

		public Builder jti(String jti) {
			return claim("jti", jti);
		}

		/** The {@code ath} of {@code accessToken}. */
		public Builder ath(String accessToken) {
			return claim("ath", DpopProofs.ath(accessToken));
		}

		public Builder nonce(String nonce) {
			return claim("nonce", nonce);
		}

		/** Another {@code typ}, e.g. {@code JWT}. */
		public Builder typ(String typ) {
			return header("typ", typ);
		}

		/** Any header member; {@code null} removes it. */
		public Builder header(String name, Object value) {
			put(this.header, name, value);
			return this;
		}

		/** Any claim; {@code null} removes it. */
		public Builder claim(String name, Object value) {
			put(this.claims, name, value);
			return this;
		}

		/** The {@code jwk} of another public key (the signature is still by this key). */
		public Builder jwkOf(PublicKey other) {
			return header("jwk", publicJwk(other));
		}

		/**
		 * Adds the private key's {@code d} (EC) or RSA private members to {@code jwk}.
		 */
		public Builder privateKeyInJwk() {
			@SuppressWarnings("unchecked")
			Map<String, Object> jwk = new LinkedHashMap<>((Map<String, Object>) this.header.get("jwk"));
			PrivateKey key = this.keys.getPrivate();
			if (key instanceof ECPrivateKey ec) {
				jwk.put("d", BASE64URL.encodeToString(fixed(ec.getS(), 32)));
			}
			else if (key instanceof RSAPrivateCrtKey rsa) {
				jwk.put("d", BASE64URL.encodeToString(unsigned(rsa.getPrivateExponent())));
				jwk.put("p", BASE64URL.encodeToString(unsigned(rsa.getPrimeP())));
				jwk.put("q", BASE64URL.encodeToString(unsigned(rsa.getPrimeQ())));
			}
			else {
				byte[] encoded = key.getEncoded();
				jwk.put("d",
						BASE64URL.encodeToString(Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length)));
			}
			return header("jwk", jwk);
		}

		/** {@code alg: none} and an empty signature. */
		public Builder algNone() {
			this.unsigned = true;
			return alg("none");
		}

		/** {@code alg: HS256}, a MAC under {@code secret}. */
		public Builder hs256(byte[] secret) {
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

	private static KeyPair generate(String algorithm, ECGenParameterSpec curve, int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
			if (curve != null) {
				generator.initialize(curve);
			}
			else if (bits > 0) {
				generator.initialize(bits);
			}
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] fixed(BigInteger value, int length) {
		byte[] bytes = value.toByteArray();
		byte[] out = new byte[length];
		int copy = Math.min(bytes.length, length);
		System.arraycopy(bytes, bytes.length - copy, out, length - copy, copy);
		return out;
	}

	private static byte[] unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		return (bytes.length > 1 && bytes[0] == 0) ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
