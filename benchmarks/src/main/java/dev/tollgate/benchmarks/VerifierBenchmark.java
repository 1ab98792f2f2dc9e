package dev.tollgate.benchmarks;

import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.TimeUnit;

import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;

/**
 * The token check alone: Tollgate's {@code AccessTokenVerifier.verify} against Spring
 * Security's resource-server decoders, on the same token. A rejected token is returned,
 * not thrown out of the benchmark, so the rejection paths are measured as they run in
 * production (Tollgate's error is stackless, Spring's is not).
 * <p>
 * {@link #tollgateHs256FirstSeen} and {@link #tollgateRs256FirstSeen} are what a token
 * the gateway has not seen before costs with the validated-token cache on: each call
 * presents the next of {@value #FIRST_SEEN_POOL} distinct tokens to a verifier whose
 * cache holds {@value #FIRST_SEEN_CACHE}, so nearly every call misses, verifies in full,
 * inserts and evicts. On a build without the cache the setting is ignored and the same
 * calls are full verifications: the same benchmark compares a miss against the code
 * before the cache.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class VerifierBenchmark {

	/** Distinct tokens per first-seen case: a power of two, for the index mask. */
	static final int FIRST_SEEN_POOL = 4096;

	/**
	 * The first-seen verifiers' cache size: a miss almost always (at most this many of
	 * the pool fit).
	 */
	static final int FIRST_SEEN_CACHE = 16;

	private TollgateTokens rs256;

	private TollgateTokens hs256FirstSeen;

	private String[] hs256Pool;

	private TollgateTokens rs256FirstSeen;

	private String[] rs256Pool;

	private int next;

	private TollgateTokens es256;

	private TollgateTokens edDsa;

	private NimbusReactiveJwtDecoder springRs256;

	private NimbusJwtDecoder springRs256Servlet;

	private NimbusReactiveJwtDecoder springEs256JwkSet;

	/**
	 * Builds everything once, and fails the run unless each path accepts the valid token
	 * and rejects the bad one.
	 */
	@Setup
	public void setUp() {
		this.rs256 = new TollgateTokens(SigningAlgorithm.RS256);
		this.es256 = new TollgateTokens(SigningAlgorithm.ES256);
		this.edDsa = new TollgateTokens(SigningAlgorithm.EdDSA);
		this.hs256FirstSeen = new TollgateTokens(SigningAlgorithm.HS256, FIRST_SEEN_CACHE);
		this.hs256Pool = this.hs256FirstSeen.mint(FIRST_SEEN_POOL);
		this.rs256FirstSeen = new TollgateTokens(SigningAlgorithm.RS256, FIRST_SEEN_CACHE);
		this.rs256Pool = this.rs256FirstSeen.mint(FIRST_SEEN_POOL);
		RSAPublicKey rsaKey = (RSAPublicKey) this.rs256.publicKey();
		this.springRs256 = SpringResourceServer.rsaPublicKey(rsaKey);
		this.springRs256Servlet = SpringResourceServer.rsaPublicKeyServlet(rsaKey);
		this.springEs256JwkSet = SpringResourceServer
			.jwkSet(SpringResourceServer.ecJwk((ECPublicKey) this.es256.publicKey()), SignatureAlgorithm.ES256);

		for (TollgateTokens tokens : new TollgateTokens[] { this.rs256, this.es256, this.edDsa }) {
			expectAccepted("Tollgate", tollgate(tokens.verifier, tokens.validToken));
			expectRejected("Tollgate", tollgate(tokens.verifier, tokens.badSignatureToken));
		}
		for (String token : this.hs256Pool) {
			expectAccepted("Tollgate HS256, first seen", tollgate(this.hs256FirstSeen.verifier, token));
		}
		for (String token : this.rs256Pool) {
			expectAccepted("Tollgate RS256, first seen", tollgate(this.rs256FirstSeen.verifier, token));
		}
		expectAccepted("Spring reactive RS256", spring(this.springRs256, this.rs256.validToken));
		expectRejected("Spring reactive RS256", spring(this.springRs256, this.rs256.badSignatureToken));
		expectAccepted("Spring servlet RS256", springServlet(this.springRs256Servlet, this.rs256.validToken));
		expectRejected("Spring servlet RS256", springServlet(this.springRs256Servlet, this.rs256.badSignatureToken));
		expectAccepted("Spring JWK set ES256", spring(this.springEs256JwkSet, this.es256.validToken));
		expectRejected("Spring JWK set ES256", spring(this.springEs256JwkSet, this.es256.badSignatureToken));
	}

	@Benchmark
	public Object tollgateRs256Valid() {
		return tollgate(this.rs256.verifier, this.rs256.validToken);
	}

	@Benchmark
	public Object tollgateHs256FirstSeen() {
		return tollgate(this.hs256FirstSeen.verifier, this.hs256Pool[nextIndex()]);
	}

	@Benchmark
	public Object tollgateRs256FirstSeen() {
		return tollgate(this.rs256FirstSeen.verifier, this.rs256Pool[nextIndex()]);
	}

	private int nextIndex() {
		this.next = (this.next + 1) & (FIRST_SEEN_POOL - 1);
		return this.next;
	}

	@Benchmark
	public Object tollgateRs256BadSignature() {
		return tollgate(this.rs256.verifier, this.rs256.badSignatureToken);
	}

	@Benchmark
	public Object tollgateEs256Valid() {
		return tollgate(this.es256.verifier, this.es256.validToken);
	}

	@Benchmark
	public Object tollgateEdDsaValid() {
		return tollgate(this.edDsa.verifier, this.edDsa.validToken);
	}

	@Benchmark
	public Object springRs256Valid() {
		return spring(this.springRs256, this.rs256.validToken);
	}

	@Benchmark
	public Object springRs256BadSignature() {
		return spring(this.springRs256, this.rs256.badSignatureToken);
	}

	@Benchmark
	public Object springServletRs256Valid() {
		return springServlet(this.springRs256Servlet, this.rs256.validToken);
	}

	@Benchmark
	public Object springJwkSetEs256Valid() {
		return spring(this.springEs256JwkSet, this.es256.validToken);
	}

	/** The verified token, or the rejection. */
	private static Object tollgate(AccessTokenVerifier verifier, String token) {
		try {
			return verifier.verify(token);
		}
		catch (TollgateErrorException ex) {
			return ex;
		}
	}

	/**
	 * The decoded token, or the rejection; resumed inside the Mono so {@code block()}
	 * adds no stack of its own.
	 */
	private static Object spring(NimbusReactiveJwtDecoder decoder, String token) {
		return decoder.decode(token).cast(Object.class).onErrorResume(Mono::just).block();
	}

	private static Object springServlet(NimbusJwtDecoder decoder, String token) {
		try {
			return decoder.decode(token);
		}
		catch (JwtException ex) {
			return ex;
		}
	}

	private static void expectAccepted(String path, Object outcome) {
		if (!(outcome instanceof VerifiedAccessToken || outcome instanceof Jwt)) {
			throw new IllegalStateException(path + " rejected the valid token: " + outcome);
		}
	}

	private static void expectRejected(String path, Object outcome) {
		if (!(outcome instanceof Throwable)) {
			throw new IllegalStateException(path + " accepted the token with a bad signature: " + outcome);
		}
	}

}
