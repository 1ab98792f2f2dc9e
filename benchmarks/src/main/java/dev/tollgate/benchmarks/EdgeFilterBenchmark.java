package dev.tollgate.benchmarks;

import java.security.interfaces.RSAPublicKey;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
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

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtReactiveAuthenticationManager;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.server.authentication.ServerBearerTokenAuthenticationConverter;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;

/**
 * The per-request work at the edge, on a fresh {@link MockServerWebExchange} each time
 * and an RS256 token: Tollgate's {@link AccessTokenGlobalFilter} (parse the header,
 * verify, record the identity) against the {@link AuthenticationWebFilter} that
 * {@code ServerHttpSecurity.oauth2ResourceServer().jwt()} builds (bearer converter,
 * {@link JwtReactiveAuthenticationManager} with its default authorities converter, no-op
 * context repository, bearer entry point on failure). {@link #tollgateHs256Valid} is
 * Tollgate's check on an HS256 token, where the cryptography is about a microsecond and
 * the rest is the check's own overhead. Those run with the validated-token cache off:
 * what a first-seen token costs. {@link #tollgateCachedValid} and
 * {@link #tollgateHs256CachedValid} are the gateway's default, a token seen before
 * (clients reuse one for its lifetime). {@link #exchangeOnly} is the cost of building the
 * exchange, included in every other number.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EdgeFilterBenchmark {

	private static final GatewayFilterChain GATEWAY_CHAIN = (exchange) -> Mono.empty();

	private static final WebFilterChain WEB_CHAIN = (exchange) -> Mono.empty();

	private TollgateTokens tokens;

	private AccessTokenGlobalFilter tollgate;

	/**
	 * HS256, whose HMAC costs about a microsecond: what is left is the check's own
	 * overhead.
	 */
	private TollgateTokens hs256Tokens;

	private AccessTokenGlobalFilter tollgateHs256;

	private AccessTokenGlobalFilter tollgateCached;

	private TollgateTokens cachedTokens;

	private AccessTokenGlobalFilter tollgateHs256Cached;

	private TollgateTokens hs256CachedTokens;

	private AuthenticationWebFilter spring;

	/**
	 * Builds both filters once, and fails the run unless each lets the valid token
	 * through and answers 401 to the bad one.
	 */
	@Setup
	public void setUp() {
		this.tokens = new TollgateTokens(SigningAlgorithm.RS256);
		this.tollgate = new AccessTokenGlobalFilter(this.tokens.verifier, new ProblemResponseWriter("tollgate"));
		this.spring = resourceServerFilter((RSAPublicKey) this.tokens.publicKey());
		this.hs256Tokens = new TollgateTokens(SigningAlgorithm.HS256);
		this.tollgateHs256 = new AccessTokenGlobalFilter(this.hs256Tokens.verifier,
				new ProblemResponseWriter("tollgate"));

		this.cachedTokens = new TollgateTokens(SigningAlgorithm.RS256, true);
		this.tollgateCached = new AccessTokenGlobalFilter(this.cachedTokens.verifier,
				new ProblemResponseWriter("tollgate"));
		this.hs256CachedTokens = new TollgateTokens(SigningAlgorithm.HS256, true);
		this.tollgateHs256Cached = new AccessTokenGlobalFilter(this.hs256CachedTokens.verifier,
				new ProblemResponseWriter("tollgate"));

		expectPassedThrough("RS256", this.tollgate, this.tokens.validToken);
		expectPassedThrough("HS256", this.tollgateHs256, this.hs256Tokens.validToken);
		expectPassedThrough("RS256, cached", this.tollgateCached, this.cachedTokens.validToken);
		expectPassedThrough("HS256, cached", this.tollgateHs256Cached, this.hs256CachedTokens.validToken);
		AtomicReference<Authentication> authentication = new AtomicReference<>();
		this.spring
			.filter(exchange(this.tokens.validToken),
					(exchange) -> ReactiveSecurityContextHolder.getContext()
						.map(SecurityContext::getAuthentication)
						.doOnNext(authentication::set)
						.then())
			.block();
		if (!(authentication.get() instanceof JwtAuthenticationToken jwt && jwt.isAuthenticated()
				&& "user-42".equals(jwt.getName()))) {
			throw new IllegalStateException(
					"Spring Security did not authenticate the valid token: " + authentication.get());
		}
		expectUnauthorized("Tollgate", tollgateBadSignature());
		expectUnauthorized("Spring Security", springBadSignature());
	}

	@Benchmark
	public ServerWebExchange exchangeOnly() {
		return exchange(this.tokens.validToken);
	}

	@Benchmark
	public MockServerWebExchange tollgateValid() {
		MockServerWebExchange exchange = exchange(this.tokens.validToken);
		this.tollgate.filter(exchange, GATEWAY_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange tollgateHs256Valid() {
		MockServerWebExchange exchange = exchange(this.hs256Tokens.validToken);
		this.tollgateHs256.filter(exchange, GATEWAY_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange tollgateCachedValid() {
		MockServerWebExchange exchange = exchange(this.cachedTokens.validToken);
		this.tollgateCached.filter(exchange, GATEWAY_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange tollgateHs256CachedValid() {
		MockServerWebExchange exchange = exchange(this.hs256CachedTokens.validToken);
		this.tollgateHs256Cached.filter(exchange, GATEWAY_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange springValid() {
		MockServerWebExchange exchange = exchange(this.tokens.validToken);
		this.spring.filter(exchange, WEB_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange tollgateBadSignature() {
		MockServerWebExchange exchange = exchange(this.tokens.badSignatureToken);
		this.tollgate.filter(exchange, GATEWAY_CHAIN).block();
		return exchange;
	}

	@Benchmark
	public MockServerWebExchange springBadSignature() {
		MockServerWebExchange exchange = exchange(this.tokens.badSignatureToken);
		this.spring.filter(exchange, WEB_CHAIN).block();
		return exchange;
	}

	/**
	 * What {@code ServerHttpSecurity.OAuth2ResourceServerSpec} assembles for
	 * {@code jwt()}.
	 */
	private static AuthenticationWebFilter resourceServerFilter(RSAPublicKey key) {
		AuthenticationWebFilter filter = new AuthenticationWebFilter(
				new JwtReactiveAuthenticationManager(SpringResourceServer.rsaPublicKey(key)));
		filter.setServerAuthenticationConverter(new ServerBearerTokenAuthenticationConverter());
		filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
		filter.setAuthenticationFailureHandler(
				new ServerAuthenticationEntryPointFailureHandler(new BearerTokenServerAuthenticationEntryPoint()));
		return filter;
	}

	private static MockServerWebExchange exchange(String token) {
		return MockServerWebExchange
			.from(MockServerHttpRequest.get("/api/items").header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
	}

	private static void expectPassedThrough(String algorithm, AccessTokenGlobalFilter filter, String token) {
		AtomicReference<String> userId = new AtomicReference<>();
		filter.filter(exchange(token), (exchange) -> {
			VerifiedAccessToken verified = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
			userId.set((verified != null) ? verified.subject() : null);
			return Mono.empty();
		}).block();
		if (!"user-42".equals(userId.get())) {
			throw new IllegalStateException(
					"Tollgate did not pass the valid " + algorithm + " token through: user " + userId.get());
		}
	}

	private static void expectUnauthorized(String path, MockServerWebExchange exchange) {
		if (exchange.getResponse().getStatusCode() != HttpStatus.UNAUTHORIZED) {
			throw new IllegalStateException(
					path + " did not answer 401 to a bad signature: " + exchange.getResponse().getStatusCode());
		}
	}

}
