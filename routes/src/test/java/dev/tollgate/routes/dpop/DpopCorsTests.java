package dev.tollgate.routes.dpop;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link DpopCors}: DPoP's headers through the gateway's CORS settings. */
class DpopCorsTests {

	@Test
	void withDpopWhenTheSettingsListHeadersThenDpopAllowedAndTheNonceExposedAndTheSettingsUnchanged() {
		CorsConfiguration config = new CorsConfiguration();
		config.setAllowedOrigins(List.of("https://app.example.com"));
		config.setAllowedHeaders(List.of("Content-Type", "Authorization"));
		config.setExposedHeaders(List.of("X-Request-Id"));

		CorsConfiguration withDpop = DpopCors.withDpop(config);

		assertThat(withDpop.getAllowedHeaders()).containsExactly("Content-Type", "Authorization", "DPoP");
		assertThat(withDpop.getExposedHeaders()).containsExactly("X-Request-Id", "DPoP-Nonce");
		assertThat(withDpop.getAllowedOrigins()).containsExactly("https://app.example.com");
		assertThat(config.getAllowedHeaders()).containsExactly("Content-Type", "Authorization");
		assertThat(config.getExposedHeaders()).containsExactly("X-Request-Id");
	}

	@Test
	void withDpopWhenEverythingAllowedAndExposedThenTheSameSettings() {
		CorsConfiguration config = new CorsConfiguration();
		config.setAllowedHeaders(List.of("*"));
		config.setExposedHeaders(List.of("dpop-nonce"));

		assertThat(DpopCors.withDpop(config)).isSameAs(config);
		assertThat(DpopCors.withDpop(null)).isNull();
	}

	@Test
	void exposeNonceWhenTheAnswerIsNotForACorsOriginThenNothing() {
		HttpHeaders headers = new HttpHeaders();

		DpopCors.exposeNonce(headers);

		assertThat(headers.headerNames()).isEmpty();
	}

}
