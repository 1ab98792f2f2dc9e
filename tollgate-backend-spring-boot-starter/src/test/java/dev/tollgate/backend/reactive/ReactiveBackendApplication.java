package dev.tollgate.backend.reactive;

import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;
import dev.tollgate.backend.support.IdentityView;
import dev.tollgate.test.MutableClock;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A WebFlux service as a team would write one behind the gateway: the starter on the
 * classpath, no security configuration of its own, a clock bean (moved by the tests).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ReactiveBackendApplication.Api.class)
class ReactiveBackendApplication {

	@Bean
	MutableClock clock() {
		return MutableClock.startingNow();
	}

	@RestController
	static class Api {

		@GetMapping("/me")
		Mono<Map<String, Object>> me(@AuthenticationPrincipal TollgatePrincipal principal,
				Authentication authentication) {
			return Mono.just(IdentityView.of(principal, authentication));
		}

		@GetMapping("/admin")
		@PreAuthorize("hasRole('admin')")
		Mono<Map<String, Object>> admin(Authentication authentication) {
			return Mono.just(Map.of("admin", authentication.getName()));
		}

		@GetMapping("/public/ping")
		Mono<Map<String, Object>> ping() {
			return Mono.just(Map.of("pong", true));
		}

		@GetMapping("/boom")
		Mono<Map<String, Object>> boom() {
			return Mono.error(new IllegalStateException("boom"));
		}

	}

}
