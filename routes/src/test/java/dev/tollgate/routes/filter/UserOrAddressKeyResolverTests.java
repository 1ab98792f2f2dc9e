package dev.tollgate.routes.filter;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.List;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class UserOrAddressKeyResolverTests {

	private final UserOrAddressKeyResolver resolver = new UserOrAddressKeyResolver(new ClientAddressResolver(0));

	@Test
	void resolveWhenTokenVerifiedThenUserKeyWhateverTheAddress() {
		MockServerWebExchange exchange = exchange(new InetSocketAddress("203.0.113.7", 4000));
		exchange.getAttributes()
			.put(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR,
					new VerifiedAccessToken("u-42", List.of("user"), "fam", "jti", Instant.EPOCH, null));
		StepVerifier.create(this.resolver.resolve(exchange)).expectNext("user:u-42").verifyComplete();
	}

	@Test
	void resolveWhenAnonymousThenPeerAddressNotForwardedFor() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.post("/auth/login")
			.remoteAddress(new InetSocketAddress("203.0.113.7", 4000))
			.header("X-Forwarded-For", "198.51.100.1"));
		StepVerifier.create(this.resolver.resolve(exchange)).expectNext("addr:203.0.113.7").verifyComplete();
	}

	@Test
	void resolveWhenNoAddressThenEmpty() {
		StepVerifier.create(this.resolver.resolve(exchange(null))).verifyComplete();
	}

	private static MockServerWebExchange exchange(InetSocketAddress remote) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/api/orders");
		return MockServerWebExchange.from((remote != null) ? request.remoteAddress(remote) : request);
	}

}
