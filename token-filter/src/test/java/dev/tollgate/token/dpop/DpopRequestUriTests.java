package dev.tollgate.token.dpop;

import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrorException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DpopRequestUriTests {

	private final DpopRequestUri direct = new DpopRequestUri(0, "auto");

	private final DpopRequestUri behindOneProxy = new DpopRequestUri(1, "auto");

	@ParameterizedTest
	@CsvSource({ "HTTPS://API.Example.COM/a, https://api.example.com/a", "https://a.example:443/x, https://a.example/x",
			"http://a.example:80/x, http://a.example/x", "http://a.example:8080/x, http://a.example:8080/x",
			"https://a.example, https://a.example/", "https://a.example/a/./b/../c, https://a.example/a/c",
			"https://a.example/%7euser/%2fx, https://a.example/~user/%2Fx",
			"https://a.example/x?q=1#f, https://a.example/x", "https://[::1]:8443/x, https://[::1]:8443/x" })
	void normalizeWhenEquivalentFormsThenOneNormalForm(String uri, String normal) {
		assertThat(DpopRequestUri.normalize(uri)).isEqualTo(normal);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "/relative", "ftp://a.example/x", "https://user:pw@a.example/x", "not a uri", "https:///x" })
	void normalizeWhenNotAnAbsoluteHttpUriThenNull(String uri) {
		assertThat(DpopRequestUri.normalize(uri)).isNull();
	}

	@Test
	void ofWhenDirectThenSchemeHostAndRawPathWithoutQuery() {
		MockServerHttpRequest request = MockServerHttpRequest.get("https://API.example.com/orders/1?x=2").build();
		assertThat(this.direct.of(request)).isEqualTo("https://api.example.com/orders/1");
	}

	@Test
	void ofWhenNoTrustedProxyThenForwardedHeadersIgnored() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "evil.example")
			.header("Forwarded", "proto=https;host=evil.example")
			.build();
		assertThat(this.direct.of(request)).isEqualTo("http://gateway.internal:8080/orders/1");
	}

	@Test
	void ofWhenTrustedProxyThenXForwardedProtoHostAndPort() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("X-Forwarded-Proto", "https")
			.header("X-Forwarded-Host", "api.example.com")
			.header("X-Forwarded-Port", "443")
			.build();
		assertThat(this.behindOneProxy.of(request)).isEqualTo("https://api.example.com/orders/1");
	}

	@Test
	void ofWhenTrustedProxyAppendedToAClientValueThenTheProxysEntry() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("X-Forwarded-Proto", "http, https")
			.header("X-Forwarded-Host", "evil.example, api.example.com")
			.build();
		assertThat(this.behindOneProxy.of(request)).isEqualTo("https://api.example.com/orders/1");
	}

	@Test
	void ofWhenTrustedProxyWritesForwardedThenProtoAndHostFromIt() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("Forwarded", "for=192.0.2.1;proto=https;host=\"api.example.com:8443\"")
			.build();
		assertThat(this.behindOneProxy.of(request)).isEqualTo("https://api.example.com:8443/orders/1");
	}

	@Test
	void ofWhenPinnedToForwardedThenXForwardedIgnored() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("X-Forwarded-Host", "evil.example")
			.header("Forwarded", "proto=https;host=api.example.com")
			.build();
		assertThat(new DpopRequestUri(1, "forwarded").of(request)).isEqualTo("https://api.example.com/orders/1");
	}

	@Test
	void ofWhenPinnedToXForwardedThenForwardedIgnored() {
		MockServerHttpRequest request = MockServerHttpRequest.get("http://gateway.internal:8080/orders/1")
			.header("Forwarded", "proto=https;host=evil.example")
			.build();
		assertThat(new DpopRequestUri(1, "x-forwarded-for").of(request))
			.isEqualTo("http://gateway.internal:8080/orders/1");
	}

	@Test
	void singleWhenAbsentThenNullAndWhenOneThenIt() {
		assertThat(DpopHeader.single(new HttpHeaders(), ProofUse.RESOURCE)).isNull();
		HttpHeaders headers = new HttpHeaders();
		headers.add("dpop", "a.b.c");
		assertThat(DpopHeader.single(headers, ProofUse.RESOURCE)).isEqualTo("a.b.c");
	}

	@Test
	void singleWhenRepeatedOrAListThenInvalidProof() {
		HttpHeaders twice = new HttpHeaders();
		twice.add(DpopHeader.NAME, "a.b.c");
		twice.add(DpopHeader.NAME, "d.e.f");
		assertThatExceptionOfType(TollgateErrorException.class)
			.isThrownBy(() -> DpopHeader.single(twice, ProofUse.TOKEN_ENDPOINT))
			.satisfies((ex) -> {
				assertThat(ex.error().code()).isEqualTo("invalid_dpop_proof");
				assertThat(ex.error().status()).isEqualTo(HttpStatus.BAD_REQUEST);
			});
		HttpHeaders list = new HttpHeaders();
		list.add(DpopHeader.NAME, "a.b.c, d.e.f");
		assertThatExceptionOfType(TollgateErrorException.class)
			.isThrownBy(() -> DpopHeader.single(list, ProofUse.RESOURCE))
			.satisfies((ex) -> assertThat(ex.error().status()).isEqualTo(HttpStatus.UNAUTHORIZED));
	}

}
