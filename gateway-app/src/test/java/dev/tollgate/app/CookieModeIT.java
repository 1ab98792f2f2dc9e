package dev.tollgate.app;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cookie mode: the refresh token only in a __Secure- HttpOnly cookie, and cross-site
 * calls refused.
 */
class CookieModeIT extends SessionITSupport {

	static final String COOKIE = "__Secure-tollgate-refresh";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		gatewayProperties(registry);
		registry.add("tollgate.refresh-token.cookie.enabled", () -> "true");
		registry.add("tollgate.refresh-token.cookie.allowed-origins", () -> "https://app.example.com");
	}

	@Test
	void loginWhenCookieModeThenRefreshTokenOnlyInHardenedCookie() {
		EntityExchangeResult<byte[]> result = loginRequest("/auth/login", "alice", "pw").expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.refreshToken")
			.doesNotExist()
			.jsonPath("$.accessToken")
			.isNotEmpty()
			.returnResult();
		String setCookie = result.getResponseHeaders().getFirst(HttpHeaders.SET_COOKIE);
		assertThat(setCookie).startsWith(COOKIE + "=")
			.contains("Path=/auth")
			.contains("Secure")
			.contains("HttpOnly")
			.contains("SameSite=Strict")
			.contains("Max-Age=604800");
	}

	@Test
	void refreshWhenCookieSentSameSiteThenRotatedCookie() {
		String cookie = loginCookie();
		String rotated = refreshWithCookie(cookie, null, null).expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.refreshToken")
			.doesNotExist()
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.SET_COOKIE);
		assertThat(rotated).startsWith(COOKIE + "=").doesNotContain(cookie);
		refreshWithCookie(cookieValue(rotated), "same-origin", "https://app.example.com").expectStatus().isOk();
	}

	@Test
	void refreshWhenCrossSiteThen403AndTokenNotConsumed() {
		String cookie = loginCookie();
		refreshWithCookie(cookie, "cross-site", null).expectStatus()
			.isForbidden()
			.expectBody()
			.jsonPath("$.error")
			.isEqualTo("access_denied");
		refreshWithCookie(cookie, null, "https://evil.example").expectStatus().isForbidden();
		this.client.post()
			.uri("/auth/logout")
			.cookie(COOKIE, cookie)
			.header("Sec-Fetch-Site", "cross-site")
			.exchange()
			.expectStatus()
			.isForbidden();
		refreshWithCookie(cookie, null, null).expectStatus().isOk();
	}

	@Test
	void loginWhenCrossSiteThen403NoCookieAndUserServiceNeverCalled() {
		// the classic login CSRF: a form on the attacker's page posts the attacker's
		// credentials as text/plain
		String body = "{\"username\":\"alice\",\"password\":\"pw\"}";
		for (String[] browser : new String[][] { { "cross-site", null }, { null, "https://evil.example" },
				{ "same-site", "https://evil.example" } }) {
			this.client.post().uri("/auth/login").contentType(MediaType.TEXT_PLAIN).headers((headers) -> {
				if (browser[0] != null) {
					headers.set("Sec-Fetch-Site", browser[0]);
				}
				if (browser[1] != null) {
					headers.setOrigin(browser[1]);
				}
			})
				.bodyValue(body)
				.exchange()
				.expectStatus()
				.isForbidden()
				.expectHeader()
				.doesNotExist(HttpHeaders.SET_COOKIE)
				.expectBody()
				.jsonPath("$.error")
				.isEqualTo("access_denied");
		}
		backend.verify(0, postRequestedFor(urlEqualTo("/login")));
		this.client.post()
			.uri("/auth/login")
			.contentType(MediaType.APPLICATION_JSON)
			.header("Sec-Fetch-Site", "same-origin")
			.header(HttpHeaders.ORIGIN, "https://app.example.com")
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk();
	}

	@Test
	void logoutWhenCookieModeThenCookieClearedAndSessionEnded() {
		String cookie = loginCookie();
		String cleared = this.client.post()
			.uri("/auth/logout")
			.cookie(COOKIE, cookie)
			.exchange()
			.expectStatus()
			.isNoContent()
			.expectBody()
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.SET_COOKIE);
		assertThat(cleared).startsWith(COOKIE + "=;").contains("Max-Age=0");
		refreshWithCookie(cookie, null, null).expectStatus().isUnauthorized();
	}

	@Test
	void proxiedRequestsWhenRefreshCookieAmongOthersThenOnlyTheOthersLeaveTheEdge() {
		String refresh = COOKIE + "=" + loginCookie();
		backend.resetRequests();
		assertThat(forwardedCookieLines("theme=dark; " + refresh + "; lang=\"en-GB\"")).hasSize(3)
			.allSatisfy((lines) -> assertThat(lines).containsExactly("theme=dark; lang=\"en-GB\""));
		backend.resetRequests();
		assertThat(forwardedCookieLines("theme=dark", refresh, "lang=en")).hasSize(3)
			.allSatisfy((lines) -> assertThat(lines).containsExactly("theme=dark", "lang=en"));
	}

	@Test
	void proxiedRequestsWhenOnlyRefreshCookieThenNoCookieHeaderLeavesTheEdge() {
		String refresh = COOKIE + "=" + loginCookie();
		backend.resetRequests();
		assertThat(forwardedCookieLines(refresh)).hasSize(3).allSatisfy((lines) -> assertThat(lines).isEmpty());
	}

	private String loginCookie() {
		String setCookie = loginRequest("/auth/login", "alice", "pw").expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseHeaders()
			.getFirst(HttpHeaders.SET_COOKIE);
		return cookieValue(setCookie);
	}

	private static String cookieValue(String setCookie) {
		return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
	}

	private WebTestClient.ResponseSpec refreshWithCookie(String cookie, String fetchSite, String origin) {
		return this.client.post().uri("/auth/refresh").cookie(COOKIE, cookie).headers((headers) -> {
			if (fetchSite != null) {
				headers.set("Sec-Fetch-Site", fetchSite);
			}
			if (origin != null) {
				headers.setOrigin(origin);
			}
		}).exchange();
	}

}
