package dev.tollgate.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.Signature;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import dev.tollgate.token.jwt.SigningAlgorithm;
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

/**
 * What a token the gateway has not seen before costs, against the floor: a plain JCA
 * verification of the same token's signature. {@link #tollgateFirstSeen} presents the
 * next of {@value #POOL} distinct tokens to a verifier whose validated-token cache holds
 * {@value #CACHE}, so nearly every call misses, verifies in full (header and claims
 * rules, signature) and inserts; {@link #jcaSignature} decodes the same token's signature
 * and checks it over the signing input with one {@link Signature} or {@link Mac} made
 * once, and nothing else: no JSON, no claims.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class FirstSeenBenchmark {

	/** Distinct tokens per case: a power of two, for the index mask. */
	static final int POOL = 4096;

	/**
	 * The verifier's cache size: at most this many of the pool fit, so nearly every call
	 * misses.
	 */
	static final int CACHE = 16;

	@Param({ "HS256", "RS256", "ES256", "EdDSA" })
	public String algorithm;

	private TollgateTokens tokens;

	private String[] pool;

	private int next;

	private Signature signature;

	private Mac mac;

	/**
	 * Fails the run unless both paths accept every token of the pool and refuse a
	 * tampered one.
	 */
	@Setup
	public void setUp() throws GeneralSecurityException {
		SigningAlgorithm alg = SigningAlgorithm.valueOf(this.algorithm);
		this.tokens = new TollgateTokens(alg, CACHE);
		this.pool = this.tokens.mint(POOL);
		if (alg == SigningAlgorithm.HS256) {
			this.mac = Mac.getInstance("HmacSHA256");
			this.mac.init(new SecretKeySpec(this.tokens.secret, "HmacSHA256"));
		}
		else {
			this.signature = Signature.getInstance(switch (alg) {
				case RS256 -> "SHA256withRSA";
				case ES256 -> "SHA256withECDSAinP1363Format";
				default -> "Ed25519";
			});
			this.signature.initVerify(this.tokens.publicKey());
		}
		for (String token : this.pool) {
			if (!jcaVerify(token) || this.tokens.verifier.verify(token) == null) {
				throw new IllegalStateException("a valid token was refused");
			}
		}
		if (jcaVerify(this.tokens.badSignatureToken)) {
			throw new IllegalStateException("the JCA path accepted a bad signature");
		}
	}

	@Benchmark
	public Object tollgateFirstSeen() {
		return this.tokens.verifier.verify(this.pool[this.next++ & (POOL - 1)]);
	}

	@Benchmark
	public boolean jcaSignature() throws GeneralSecurityException {
		return jcaVerify(this.pool[this.next++ & (POOL - 1)]);
	}

	private boolean jcaVerify(String token) throws GeneralSecurityException {
		int dot = token.lastIndexOf('.');
		byte[] input = token.substring(0, dot).getBytes(StandardCharsets.US_ASCII);
		byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
		if (this.mac != null) {
			return MessageDigest.isEqual(this.mac.doFinal(input), sig);
		}
		this.signature.update(input);
		return this.signature.verify(sig);
	}

}
