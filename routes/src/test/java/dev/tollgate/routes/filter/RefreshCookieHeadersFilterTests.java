package dev.tollgate.routes.filter;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

class RefreshCookieHeadersFilterTests {

	static final String NAME = "__Secure-tollgate-refresh";

	private final RefreshCookieHeadersFilter filter = new RefreshCookieHeadersFilter(NAME);

	private HttpHeaders filter(String... cookieLines) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.get("/auth/profile")
			.header("Accept", "*/*");
		for (String line : cookieLines) {
			request.header(HttpHeaders.COOKIE, line);
		}
		MockServerWebExchange exchange = MockServerWebExchange.from(request);
		// the first headers filter gets the request's own, read-only headers
		return this.filter.filter(exchange.getRequest().getHeaders(), exchange);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			theme=dark; __Secure-tollgate-refresh=f.s; lang=en      | theme=dark; lang=en
			__Secure-tollgate-refresh=f.s; theme=dark               | theme=dark
			theme=dark; __Secure-tollgate-refresh=f.s               | theme=dark
			theme=dark;__Secure-tollgate-refresh=f.s;lang=en        | theme=dark; lang=en
			theme=dark;   __Secure-tollgate-refresh = f.s ;  lang=en | theme=dark; lang=en
			__Secure-tollgate-refresh="f.s"; lang="en GB"           | lang="en GB"
			a=1; __Secure-tollgate-refresh=old; b=2; __Secure-tollgate-refresh=new | a=1; b=2
			__Secure-tollgate-refresh; a=1                          | a=1
			__Secure-tollgate-refresh=; a=1                         | a=1
			""")
	void filterWhenRefreshCookieAmongOthersThenOnlyItRemoved(String line, String expected) {
		HttpHeaders filtered = filter(line);
		assertThat(filtered.get(HttpHeaders.COOKIE)).containsExactly(expected);
		assertThat(filtered.get("Accept")).containsExactly("*/*");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			__Secure-tollgate-refresh2=x; a=1
			__Secure-tollgate-refresh-old=x;a=1
			x__Secure-tollgate-refresh=y
			a="__Secure-tollgate-refresh=x"
			__secure-tollgate-refresh=x
			""")
	void filterWhenNameOnlyLooksAlikeThenHeadersUntouched(String line) {
		HttpHeaders input = new HttpHeaders();
		input.add(HttpHeaders.COOKIE, line);
		assertThat(this.filter.filter(input, exchange())).isSameAs(input);
	}

	@Test
	void filterWhenOnlyRefreshCookieThenNoCookieHeaderAtAll() {
		HttpHeaders filtered = filter(" __Secure-tollgate-refresh=f.s ; ");
		assertThat(filtered.containsHeader(HttpHeaders.COOKIE)).isFalse();
		assertThat(filtered.headerNames()).containsExactly("Accept");
	}

	@Test
	void filterWhenSeveralCookieLinesThenEachFilteredAndEmptyOnesDropped() {
		HttpHeaders filtered = filter("theme=dark", "__Secure-tollgate-refresh=f.s",
				"lang=en; __Secure-tollgate-refresh=g.t", "b=2;c=3");
		assertThat(filtered.get(HttpHeaders.COOKIE)).containsExactly("theme=dark", "lang=en", "b=2;c=3");
	}

	@Test
	void filterWhenSeveralLinesAllRefreshCookiesThenNoCookieHeader() {
		assertThat(filter("__Secure-tollgate-refresh=f.s", "__Secure-tollgate-refresh=g.t").headerNames())
			.containsExactly("Accept");
	}

	@Test
	void filterWhenNoRefreshCookieThenSameHeadersNotCopied() {
		HttpHeaders input = new HttpHeaders();
		input.add(HttpHeaders.COOKIE, "theme=dark; lang=en");
		assertThat(this.filter.filter(input, exchange())).isSameAs(input);
		HttpHeaders none = new HttpHeaders();
		assertThat(this.filter.filter(none, exchange())).isSameAs(none);
	}

	@Test
	void filterWhenOtherCookieNameConfiguredThenThatOneRemoved() {
		HttpHeaders input = new HttpHeaders();
		input.add(HttpHeaders.COOKIE, "__Secure-rt=x; __Secure-tollgate-refresh=y");
		assertThat(new RefreshCookieHeadersFilter("__Secure-rt").filter(input, exchange()).get(HttpHeaders.COOKIE))
			.isEqualTo(List.of("__Secure-tollgate-refresh=y"));
	}

	private static MockServerWebExchange exchange() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
	}

}
