package dev.tollgate.routes.login;

import java.util.List;

import dev.tollgate.routes.http.CookieSettings;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LoginPrechecks}: the refusals a login's headers alone earn. */
class LoginPrechecksTests {

	private static final CookieSettings COOKIE_MODE = new CookieSettings(true, "__Secure-tollgate-refresh", "/auth",
			List.of("https://app.example.com"));

	private static final CookieSettings BODY_MODE = new CookieSettings(false, "__Secure-tollgate-refresh", "/auth",
			List.of());

	private static HttpHeaders headers(MockServerHttpRequest.BaseBuilder<?> request) {
		return request.build().getHeaders();
	}

	@Test
	void refusalWhenCookieModeAndCrossSiteThenAccessDenied() {
		LoginPrechecks prechecks = new LoginPrechecks(COOKIE_MODE, 1024);

		assertThat(prechecks
			.refusal(headers(MockServerHttpRequest.post("/auth/login").header("Sec-Fetch-Site", "cross-site")))
			.code()).isEqualTo("access_denied");
		assertThat(prechecks
			.refusal(headers(
					MockServerHttpRequest.post("/auth/login").header(HttpHeaders.ORIGIN, "https://evil.example")))
			.status()).isEqualTo(HttpStatus.FORBIDDEN);
		assertThat(prechecks.refusal(headers(
				MockServerHttpRequest.post("/auth/login").header(HttpHeaders.ORIGIN, "https://app.example.com"))))
			.isNull();
	}

	@Test
	void refusalWhenBodyModeAndCrossSiteThenNone() {
		assertThat(new LoginPrechecks(BODY_MODE, 1024)
			.refusal(headers(MockServerHttpRequest.post("/auth/login").header("Sec-Fetch-Site", "cross-site"))))
			.isNull();
	}

	@Test
	void refusalWhenBodyAnnouncedLargerThanAllowedThen413() {
		LoginPrechecks prechecks = new LoginPrechecks(BODY_MODE, 1024);

		assertThat(prechecks.refusal(headers(MockServerHttpRequest.post("/auth/login").contentLength(1025)))
			.status()
			.value()).isEqualTo(413);
		assertThat(prechecks.refusal(headers(MockServerHttpRequest.post("/auth/login").contentLength(1024)))).isNull();
	}

}
