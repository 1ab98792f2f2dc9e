package dev.tollgate.routes.client;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressResolverTests {

	private static MockServerHttpRequest request(String... forwardedFor) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.post("/auth/login")
			.remoteAddress(new InetSocketAddress("10.0.0.9", 4000));
		for (String value : forwardedFor) {
			request.header("X-Forwarded-For", value);
		}
		return request.build();
	}

	@Test
	void resolveWhenNoTrustedProxyThenPeerWhateverTheClientClaims() {
		assertThat(new ClientAddressResolver(0).resolve(request("198.51.100.1"))).isEqualTo("10.0.0.9");
	}

	@Test
	void resolveWhenOneTrustedProxyThenRightmostEntry() {
		assertThat(new ClientAddressResolver(1).resolve(request("6.6.6.6, 198.51.100.1"))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenTwoTrustedProxiesThenSecondFromTheRight() {
		assertThat(new ClientAddressResolver(2).resolve(request("6.6.6.6, 198.51.100.1, 10.1.1.1")))
			.isEqualTo("198.51.100.1");
		assertThat(new ClientAddressResolver(1).resolve(request("2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
	}

	@Test
	void resolveWhenFewerEntriesThanProxiesOrSeveralHeadersThenPeer() {
		assertThat(new ClientAddressResolver(2).resolve(request("198.51.100.1"))).isEqualTo("10.0.0.9");
		assertThat(new ClientAddressResolver(1).resolve(request("198.51.100.1", "6.6.6.6"))).isEqualTo("10.0.0.9");
	}

	@Test
	void resolveWhenEntryIsANameThenNeverLookedUpAndPeerUsed() {
		assertThat(new ClientAddressResolver(1).resolve(request("evil.example"))).isEqualTo("10.0.0.9");
		assertThat(new ClientAddressResolver(1).resolve(request("unknown"))).isEqualTo("10.0.0.9");
		assertThat(new ClientAddressResolver(1).resolve(request("face.bad"))).isEqualTo("10.0.0.9");
	}

}
