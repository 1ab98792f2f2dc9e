package dev.tollgate.backendit;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Two services as teams write them behind the gateway, each with the backend starter and
 * no security configuration of its own: one on Spring MVC (Tomcat), one on WebFlux
 * (Netty). Each answers what it sees of the user.
 */
final class Services {

	private Services() {
	}

	static Map<String, Object> view(TollgatePrincipal principal, Authentication authentication) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", authentication.getName());
		view.put("authorities", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
		view.put("id", principal.id());
		view.put("roles", principal.roles());
		view.put("sessionId", principal.sessionId());
		return view;
	}

	static Map<String, Object> headers(String assertion, String authorization) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("assertion", assertion);
		view.put("authorization", authorization != null);
		return view;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Mvc.Api.class)
	static class Mvc {

		@RestController
		static class Api {

			@GetMapping("/me")
			Map<String, Object> me(@AuthenticationPrincipal TollgatePrincipal principal,
					Authentication authentication) {
				return view(principal, authentication);
			}

			@GetMapping("/admin")
			@PreAuthorize("hasRole('admin')")
			Map<String, Object> admin(Authentication authentication) {
				return Map.of("admin", authentication.getName());
			}

			@GetMapping("/headers")
			Map<String, Object> headers(@RequestHeader("X-Tollgate-Assertion") String assertion,
					@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
				return Services.headers(assertion, authorization);
			}

		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(Flux.Api.class)
	static class Flux {

		@RestController
		static class Api {

			@GetMapping("/me")
			Mono<Map<String, Object>> me(@AuthenticationPrincipal TollgatePrincipal principal,
					Authentication authentication) {
				return Mono.just(view(principal, authentication));
			}

			// Spring Security's reactive method security wants a Publisher from a method
			// it guards
			@GetMapping("/admin")
			@PreAuthorize("hasRole('admin')")
			Mono<Map<String, Object>> admin(Authentication authentication) {
				return Mono.just(Map.of("admin", authentication.getName()));
			}

			@GetMapping("/headers")
			Mono<Map<String, Object>> headers(@RequestHeader("X-Tollgate-Assertion") String assertion,
					@RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
				return Mono.just(Services.headers(assertion, authorization));
			}

		}

	}

}
