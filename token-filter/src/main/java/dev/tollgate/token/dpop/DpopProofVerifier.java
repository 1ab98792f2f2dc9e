package dev.tollgate.token.dpop;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.observe.TokenRejection;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpMethod;

/**
 * Checks a DPoP proof (RFC 9449 §4.3) without state: a compact JWS of three parts whose
 * header has {@code typ: dpop+jwt}, an {@code alg} among the configured ones (never
 * {@code none} or a MAC) and a public {@code jwk} ({@link ProofKey}) that verifies the
 * signature; claims {@code jti} (1 to 256 characters), {@code htm}, {@code htu}
 * (normalised, {@link DpopRequestUri}), {@code iat} within
 * {@code [now - proofMaxAge - clockSkew, now + clockSkew]}, {@code ath} at a resource
 * (§4.3 check 10, §7) and {@code nonce} where nonces are required (§8, §9). Built once;
 * thread-safe. The replay check ({@link DpopReplayGuard}) is the caller's.
 */
public final class DpopProofVerifier {

	/** Longest proof accepted: an RSA 8192 key fits well under it. */
	public static final int MAX_PROOF_LENGTH = 8192;

	/** The {@code typ} of every proof (RFC 9449 §4.2). */
	public static final String PROOF_TYPE = "dpop+jwt";

	private static final int MAX_JTI_LENGTH = 256;

	/** Proof headers (client keys) remembered: about 1 KB each. */
	private static final int HEADER_CACHE_SIZE = 10_000;

	private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

	private final DpopSettings settings;

	private final DpopNonces nonces;

	private final Clock clock;

	/**
	 * Headers that passed, by their exact base64url text: a client sends the same header
	 * (its key) with every proof, so the JSON, the key and its thumbprint are worked out
	 * once per key, not per request. Bounded; only headers that passed are kept.
	 */
	private final Cache<String, ProofHeader> headers = Caffeine.newBuilder()
		.maximumSize(HEADER_CACHE_SIZE)
		.executor(Runnable::run)
		.build();

	private final JsonMapper json = JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

	/**
	 * @param nonces the server nonces; {@code null} only when {@code settings} require
	 * none
	 */
	public DpopProofVerifier(DpopSettings settings, DpopNonces nonces, Clock clock) {
		if (nonces == null && settings.nonce() != NonceMode.OFF) {
			throw new IllegalArgumentException("nonces are required with nonce mode " + settings.nonce());
		}
		this.settings = settings;
		this.nonces = nonces;
		this.clock = clock;
	}

	/**
	 * Checks {@code proof} for a request.
	 * @param proof the single {@code DPoP} header value ({@link DpopHeader})
	 * @param method the request's method
	 * @param requestUri the URL the client used, normalised ({@link DpopRequestUri})
	 * @param accessToken the access token the proof must hash ({@code ath}); {@code null}
	 * at the token endpoint
	 * @param use where the proof is checked, which decides the status of an error
	 * @return the proof's key thumbprint, {@code jti} and {@code iat}
	 * @throws TollgateErrorException {@code invalid_dpop_proof}, or
	 * {@code use_dpop_nonce} with the current nonce
	 */
	public DpopProof verify(String proof, HttpMethod method, String requestUri, String accessToken, ProofUse use) {
		if (proof == null) {
			throw TollgateErrors.invalidDpopProof(TokenRejection.DPOP_PROOF_MISSING, "DPoP proof required", use)
				.exception();
		}
		int firstDot = proof.indexOf('.');
		int secondDot = (firstDot > 0) ? proof.indexOf('.', firstDot + 1) : -1;
		// an empty signature passes here, so that alg: none is named as such below
		if (proof.length() > MAX_PROOF_LENGTH || secondDot < 0 || secondDot == firstDot + 1
				|| proof.indexOf('.', secondDot + 1) >= 0) {
			throw invalid("malformed DPoP proof", use);
		}
		String headerPart = proof.substring(0, firstDot);
		ProofHeader header = this.headers.getIfPresent(headerPart);
		if (header == null) {
			header = header(headerPart, use);
			this.headers.put(headerPart, header);
		}
		String algorithm = header.algorithm();
		PublicKey key = header.key();
		if (!ProofSignature.verifies(algorithm, key, proof, secondDot)) {
			throw invalid("invalid DPoP proof signature", use);
		}
		JsonNode claims = object(proof.substring(firstDot + 1, secondDot), use);
		String jti = text(claims, "jti");
		if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
			throw invalid("DPoP proof jti missing or too long", use);
		}
		if (!method.name().equals(text(claims, "htm"))) {
			throw invalid("DPoP proof htm does not match the request", use);
		}
		String htu = text(claims, "htu");
		if (htu == null || !requestUri.equals(DpopRequestUri.normalize(htu))) {
			throw invalid("DPoP proof htu does not match the request", use);
		}
		Instant issuedAt = issuedAt(claims, use);
		if (accessToken != null && !matchesHash(text(claims, "ath"), accessToken)) {
			throw invalid("DPoP proof ath does not match the access token", use);
		}
		if (this.settings.nonce().requiredAt(use) && !this.nonces.isValid(text(claims, "nonce"))) {
			throw TollgateErrors.useDpopNonce(use, this.nonces.current()).exception();
		}
		return new DpopProof(header.keyThumbprint(), jti, issuedAt);
	}

	/**
	 * The header's checks (RFC 9449 §4.3 checks 4 to 7): {@code typ}, {@code alg},
	 * {@code crit}, a public {@code jwk} fit for the algorithm.
	 */
	private ProofHeader header(String part, ProofUse use) {
		JsonNode header = object(part, use);
		if (!PROOF_TYPE.equals(text(header, "typ"))) {
			throw invalid("DPoP proof typ is not dpop+jwt", use);
		}
		String algorithm = text(header, "alg");
		if (algorithm == null || !this.settings.algorithms().contains(algorithm)) {
			throw invalid("DPoP proof algorithm not accepted", use);
		}
		if (header.get("crit") != null) {
			throw invalid("DPoP proof has a critical header", use);
		}
		PublicKey key = ProofKey.of(header.get("jwk"), algorithm);
		if (key == null) {
			throw invalid("DPoP proof jwk is not an accepted public key", use);
		}
		return new ProofHeader(algorithm, key, JwkThumbprint.of(key));
	}

	/**
	 * The nonce proofs checked at {@code use} must carry now (for a {@code DPoP-Nonce}
	 * header), or {@code null} when none is required there.
	 */
	public String currentNonce(ProofUse use) {
		return this.settings.nonce().requiredAt(use) ? this.nonces.current() : null;
	}

	/**
	 * The nonce a response to a DPoP request carries in {@code DPoP-Nonce} (RFC 9449
	 * §8.2), so the client always holds a fresh one: the current nonce whenever nonces
	 * are on (at the token endpoint or everywhere), {@code null} when they are off.
	 */
	public String responseNonce() {
		return (this.settings.nonce() != NonceMode.OFF) ? this.nonces.current() : null;
	}

	/**
	 * The {@code ath} of {@code accessToken}: base64url(SHA-256(ASCII)) (RFC 9449 §4.2).
	 */
	public static String accessTokenHash(String accessToken) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(JwkThumbprint.sha256(accessToken));
	}

	private Instant issuedAt(JsonNode claims, ProofUse use) {
		JsonNode iat = claims.get("iat");
		if (iat == null || !iat.isIntegralNumber() || !iat.canConvertToLong()) {
			throw invalid("DPoP proof iat missing", use);
		}
		long issued = iat.longValue();
		long now = this.clock.instant().getEpochSecond();
		long skew = this.settings.clockSkew().toSeconds();
		if (issued > now + skew) {
			throw invalid("DPoP proof issued in the future", use);
		}
		if (issued < now - this.settings.proofMaxAge().toSeconds() - skew) {
			throw invalid("DPoP proof expired", use);
		}
		return Instant.ofEpochSecond(issued);
	}

	private static boolean matchesHash(String ath, String accessToken) {
		return ath != null && MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
				accessTokenHash(accessToken).getBytes(StandardCharsets.US_ASCII));
	}

	private JsonNode object(String part, ProofUse use) {
		try {
			JsonNode node = this.json.readTree(BASE64URL.decode(part));
			if (node == null || !node.isObject()) {
				throw invalid("malformed DPoP proof", use);
			}
			return node;
		}
		catch (IllegalArgumentException | JacksonException ex) {
			throw invalid("malformed DPoP proof", use);
		}
	}

	private static String text(JsonNode node, String name) {
		JsonNode value = node.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

	/** A header that passed: its algorithm, key and the key's RFC 7638 thumbprint. */
	private record ProofHeader(String algorithm, PublicKey key, String keyThumbprint) {
	}

	private static TollgateErrorException invalid(String description, ProofUse use) {
		return TollgateErrors.invalidDpopProof(description, use).exception();
	}

}
