package dev.tollgate.routes.client;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressResolverTests {

	private static final String PEER = "10.0.0.9";

	private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
		return MockServerHttpRequest.post("/auth/login").remoteAddress(new InetSocketAddress(peer, 4000));
	}

	/** A request from {@link #PEER} carrying one X-Forwarded-For line per value. */
	private static MockServerHttpRequest forwardedFor(String... lines) {
		return from(PEER).header("X-Forwarded-For", lines).build();
	}

	/** A request from {@link #PEER} carrying one RFC 7239 Forwarded line per value. */
	private static MockServerHttpRequest forwarded(String... lines) {
		return from(PEER).header("Forwarded", lines).build();
	}

	private static String resolve(int trustedProxies, MockServerHttpRequest request) {
		return new ClientAddressResolver(trustedProxies).resolve(request);
	}

	@Test
	void resolveWhenNoTrustedProxyThenPeerWhateverTheClientClaims() {
		assertThat(resolve(0, forwardedFor("198.51.100.1"))).isEqualTo(PEER);
		assertThat(resolve(0, forwarded("for=198.51.100.1"))).isEqualTo(PEER);
		assertThat(resolve(0, from(PEER).header("X-Real-IP", "198.51.100.1").build())).isEqualTo(PEER);
	}

	@Test
	void resolveWhenNoPeerAndNoHeaderThenNull() {
		assertThat(resolve(1, MockServerHttpRequest.post("/auth/login").build())).isNull();
	}

	@Test
	void resolveWhenOneTrustedProxyThenRightmostEntry() {
		assertThat(resolve(1, forwardedFor("6.6.6.6, 198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(1, forwardedFor("198.51.100.1"))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenTwoTrustedProxiesThenSecondFromTheRight() {
		assertThat(resolve(2, forwardedFor("6.6.6.6, 198.51.100.1, 10.1.1.1"))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenSeveralForwardedForLinesThenMergedInOrder() {
		assertThat(resolve(1, forwardedFor("6.6.6.6", "198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(2, forwardedFor("6.6.6.6", "198.51.100.1"))).isEqualTo("6.6.6.6");
		assertThat(resolve(2, forwardedFor("6.6.6.6, 7.7.7.7", "198.51.100.1, 10.1.1.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(3, forwardedFor("6.6.6.6, 7.7.7.7", "198.51.100.1, 10.1.1.1"))).isEqualTo("7.7.7.7");
	}

	@Test
	void resolveWhenFewerEntriesThanProxiesThenPeer() {
		assertThat(resolve(2, forwardedFor("198.51.100.1"))).isEqualTo(PEER);
		assertThat(resolve(3, forwardedFor("6.6.6.6", "198.51.100.1"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor(" , "))).isEqualTo(PEER);
	}

	@Test
	void resolveWhenIpv6OrAPortThenTheAddress() {
		assertThat(resolve(1, forwardedFor("2001:db8::1"))).isEqualTo("2001:db8:0:0:0:0:0:1");
		assertThat(resolve(1, forwardedFor("[2001:db8::1]"))).isEqualTo("2001:db8:0:0:0:0:0:1");
		assertThat(resolve(1, forwardedFor("[2001:db8::1]:4711"))).isEqualTo("2001:db8:0:0:0:0:0:1");
		assertThat(resolve(1, forwardedFor("198.51.100.1:4711"))).isEqualTo("198.51.100.1");
		assertThat(resolve(1, forwardedFor("::ffff:198.51.100.1"))).as("IPv4-mapped").isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenEntryIsANameOrNotAnAddressThenNeverLookedUpAndPeerUsed() {
		assertThat(resolve(1, forwardedFor("evil.example"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("localhost"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("unknown"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("face.bad"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("999.1.1.1"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("1.2.3"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("198.51.100.1:http"))).isEqualTo(PEER);
		assertThat(resolve(1, forwardedFor("2001:db8::1:4711"))).as("an IPv6 address, not an address and a port")
			.isEqualTo("2001:db8:0:0:0:0:1:4711");
		assertThat(resolve(1, forwardedFor("6.6.6.6, evil.example"))).as("never the entry before it").isEqualTo(PEER);
	}

	@Test
	void resolveWhenForwardedAloneThenRightmostForEntry() {
		assertThat(resolve(1, forwarded("for=6.6.6.6, for=198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(2, forwarded("for=6.6.6.6, for=198.51.100.1, for=10.1.1.1"))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenForwardedQuotedWithPortOrIpv6ThenTheAddress() {
		assertThat(resolve(1, forwarded("for=\"198.51.100.1:4711\""))).isEqualTo("198.51.100.1");
		assertThat(resolve(1, forwarded("for=\"[2001:db8:cafe::17]\""))).isEqualTo("2001:db8:cafe:0:0:0:0:17");
		assertThat(resolve(1, forwarded("for=\"[2001:db8:cafe::17]:4711\""))).isEqualTo("2001:db8:cafe:0:0:0:0:17");
		assertThat(resolve(1, forwarded("for=\"198.51.100.1:_port\""))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenForwardedHasOtherParametersOrCaseThenTheForParameter() {
		assertThat(resolve(1, forwarded("proto=https;For=198.51.100.1;by=10.0.0.1;host=api.example")))
			.isEqualTo("198.51.100.1");
		assertThat(resolve(1, forwarded("for=6.6.6.6 , FOR=198.51.100.1 ; proto=http"))).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenForwardedUnknownObfuscatedOrWithoutForThenPeer() {
		assertThat(resolve(1, forwarded("for=unknown"))).isEqualTo(PEER);
		assertThat(resolve(1, forwarded("for=_hidden"))).isEqualTo(PEER);
		assertThat(resolve(1, forwarded("for=\"_SEVKISEK\""))).isEqualTo(PEER);
		assertThat(resolve(1, forwarded("for=6.6.6.6, proto=https;by=10.0.0.1"))).as("the proxy wrote no for=")
			.isEqualTo(PEER);
		assertThat(resolve(1, forwarded("for=\"[evil.example]:80\""))).isEqualTo(PEER);
	}

	@Test
	void resolveWhenForwardedQuotedStringHoldsCommasOrSemicolonsThenOneElement() {
		assertThat(resolve(1, forwarded("for=\"_a,b;for=6.6.6.6\", for=198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(2, forwarded("for=\"_a,b;for=6.6.6.6\", for=198.51.100.1"))).isEqualTo(PEER);
		assertThat(resolve(1, forwarded("for=\"_a\\\",for=6.6.6.6\", for=198.51.100.1"))).as("an escaped quote")
			.isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenSeveralForwardedLinesThenMergedInOrder() {
		assertThat(resolve(1, forwarded("for=6.6.6.6", "for=198.51.100.1"))).isEqualTo("198.51.100.1");
		assertThat(resolve(2, forwarded("for=6.6.6.6", "for=198.51.100.1"))).isEqualTo("6.6.6.6");
		assertThat(resolve(1, forwarded("for=\"6.6.6.6", "for=198.51.100.1"))).as("a quote never spans lines")
			.isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenBothHeadersByDefaultThenForwardedForFirst() {
		MockServerHttpRequest both = from(PEER).header("X-Forwarded-For", "198.51.100.1")
			.header("Forwarded", "for=203.0.113.1")
			.build();

		assertThat(resolve(1, both)).isEqualTo("198.51.100.1");
		assertThat(new ClientAddressResolver(1, "auto").resolve(both)).isEqualTo("198.51.100.1");
	}

	@Test
	void resolveWhenForwardedPinnedThenAClientSentForwardedForIgnored() {
		ClientAddressResolver resolver = new ClientAddressResolver(1, "forwarded");
		MockServerHttpRequest both = from(PEER).header("X-Forwarded-For", "6.6.6.6")
			.header("Forwarded", "for=198.51.100.1")
			.build();

		assertThat(resolver.resolve(both)).isEqualTo("198.51.100.1");
		assertThat(resolver.resolve(forwardedFor("6.6.6.6"))).isEqualTo(PEER);
	}

	@Test
	void resolveWhenForwardedForPinnedThenAClientSentForwardedIgnored() {
		ClientAddressResolver resolver = new ClientAddressResolver(1, "x-forwarded-for");
		MockServerHttpRequest both = from(PEER).header("X-Forwarded-For", "198.51.100.1")
			.header("Forwarded", "for=6.6.6.6")
			.build();

		assertThat(resolver.resolve(both)).isEqualTo("198.51.100.1");
		assertThat(resolver.resolve(forwarded("for=6.6.6.6"))).isEqualTo(PEER);
	}

	@Test
	void resolveWhenNoForwardingHeaderThenThePeerIpv4OrIpv6() {
		assertThat(new ClientAddressResolver(0).resolve(from("198.51.100.1").build())).isEqualTo("198.51.100.1");
		assertThat(new ClientAddressResolver(0).resolve(from("2001:db8::1").build())).isEqualTo("2001:db8:0:0:0:0:0:1");
	}

}
