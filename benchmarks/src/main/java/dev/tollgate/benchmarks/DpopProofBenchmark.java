package dev.tollgate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.JwkThumbprint;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.ProofUse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.http.HttpMethod;

/**
 * What a DPoP proof costs on the access path inside the JVM, against the floor: the same
 * proof's signature checked with one JCA {@link Signature} made once.
 * {@link #tollgateProof} runs {@link DpopProofVerifier#verify} (header from its cache,
 * signature, claims JSON, {@code htm}, {@code htu}, {@code iat}, {@code ath}) on the next
 * of {@value #POOL} proofs by one key; {@link #replayGuardInsert} is the per-instance
 * replay check of a proof never seen before (a hash and a cache insertion), the other
 * part of a DPoP request's own work. What an end-to-end DPoP request costs beyond these
 * happens outside the verifier (docs/benchmarks.md, DPoP).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class DpopProofBenchmark {

	/** Distinct proofs per case: a power of two, for the index mask. */
	static final int POOL = 1024;

	private static final String URI = "https://gateway.example/api/orders";

	private static final String ACCESS_TOKEN = "eyJhbGciOiJIUzI1NiJ9." + "x".repeat(300) + ".signature";

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	@Param({ "ES256", "EdDSA" })
	public String algorithm;

	private String[] pool;

	private int next;

	private DpopProofVerifier verifier;

	private LocalDpopReplayGuard guard;

	private long jti;

	private String thumbprint;

	private Signature signature;

	/** Fails the run unless both paths accept every proof of the pool. */
	@Setup
	public void setUp() throws GeneralSecurityException {
		KeyPair keys = keys();
		this.pool = new String[POOL];
		for (int i = 0; i < POOL; i++) {
			this.pool[i] = proof(keys, UUID.randomUUID().toString());
		}
		DpopSettings settings = new DpopSettings(DpopMode.OPTIONAL, NonceMode.OFF, List.of(this.algorithm),
				Duration.ofHours(1), Duration.ofSeconds(5), Duration.ofMinutes(5), false);
		this.verifier = new DpopProofVerifier(settings, null, Clock.systemUTC());
		this.guard = new LocalDpopReplayGuard(settings.replayTtl());
		this.signature = Signature.getInstance(jcaName());
		this.signature.initVerify(keys.getPublic());
		for (int i = 0; i < POOL; i++) {
			this.thumbprint = tollgateProof().keyThumbprint();
			if (!jcaSignature()) {
				throw new IllegalStateException("JCA refused proof " + i);
			}
		}
	}

	@Benchmark
	public DpopProof tollgateProof() {
		String proof = this.pool[this.next++ & (POOL - 1)];
		return this.verifier.verify(proof, HttpMethod.GET, URI, ACCESS_TOKEN, ProofUse.RESOURCE);
	}

	@Benchmark
	public boolean jcaSignature() throws GeneralSecurityException {
		String proof = this.pool[this.next++ & (POOL - 1)];
		int dot = proof.lastIndexOf('.');
		this.signature.update(proof.substring(0, dot).getBytes(StandardCharsets.US_ASCII));
		return this.signature.verify(Base64.getUrlDecoder().decode(proof.substring(dot + 1)));
	}

	@Benchmark
	public boolean replayGuardInsert() {
		DpopProof proof = new DpopProof(this.thumbprint, Long.toString(this.jti++), null);
		return this.guard.firstUseNow(proof);
	}

	private KeyPair keys() throws GeneralSecurityException {
		if ("ES256".equals(this.algorithm)) {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
	}

	private String jcaName() {
		return "ES256".equals(this.algorithm) ? "SHA256withECDSAinP1363Format" : "Ed25519";
	}

	/** A proof as a browser client makes it: its key in the header, a fresh jti. */
	private String proof(KeyPair keys, String jti) throws GeneralSecurityException {
		String header = "{\"typ\":\"dpop+jwt\",\"alg\":\"" + this.algorithm + "\",\"jwk\":"
				+ JwkThumbprint.canonicalJson(keys.getPublic()) + "}";
		String ath = DpopProofVerifier.accessTokenHash(ACCESS_TOKEN);
		String claims = "{\"jti\":\"" + jti + "\",\"htm\":\"GET\",\"htu\":\"" + URI + "\",\"iat\":"
				+ (System.currentTimeMillis() / 1000) + ",\"ath\":\"" + ath + "\"}";
		String input = encode(header) + "." + encode(claims);
		Signature signer = Signature.getInstance(jcaName());
		signer.initSign(keys.getPrivate());
		signer.update(input.getBytes(StandardCharsets.US_ASCII));
		return input + "." + BASE64URL.encodeToString(signer.sign());
	}

	private static String encode(String json) {
		return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

}
