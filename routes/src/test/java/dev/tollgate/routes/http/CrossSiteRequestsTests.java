package dev.tollgate.routes.http;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

class CrossSiteRequestsTests {

	private final CrossSiteRequests crossSite = new CrossSiteRequests(List.of("https://app.example.com"));

	private static HttpHeaders headers(String fetchSite, String origin) {
		HttpHeaders headers = new HttpHeaders();
		if (fetchSite != null) {
			headers.set("Sec-Fetch-Site", fetchSite);
		}
		if (origin != null) {
			headers.setOrigin(origin);
		}
		return headers;
	}

	@Test
	void refusalWhenFetchMetadataSaysCrossSiteThenAccessDenied() {
		assertThat(this.crossSite.refusal(headers("cross-site", "https://app.example.com")).code())
			.isEqualTo("access_denied");
	}

	@Test
	void refusalWhenOriginNotAllowedThenAccessDenied() {
		assertThat(this.crossSite.refusal(headers(null, "https://evil.example")).status().value()).isEqualTo(403);
		assertThat(this.crossSite.refusal(headers("same-site", "null"))).isNotNull();
	}

	@Test
	void refusalWhenAllowedOriginOrNoBrowserHeadersThenNone() {
		assertThat(this.crossSite.refusal(headers("same-origin", "https://app.example.com"))).isNull();
		assertThat(this.crossSite.refusal(headers(null, null))).isNull();
	}

}
