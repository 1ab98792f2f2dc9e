package dev.tollgate.backend.servlet;

import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;
import dev.tollgate.backend.support.IdentityView;
import dev.tollgate.test.MutableClock;

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
 * A Spring MVC service as a team would write one behind the gateway: the starter on the
 * classpath, no security configuration of its own, a clock bean (moved by the tests).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(ServletBackendApplication.Api.class)
class ServletBackendApplication {

	@Bean
	MutableClock clock() {
		return MutableClock.startingNow();
	}

	@RestController
	static class Api {

		@GetMapping("/me")
		Map<String, Object> me(@AuthenticationPrincipal TollgatePrincipal principal, Authentication authentication) {
			return IdentityView.of(principal, authentication);
		}

		@GetMapping("/admin")
		@PreAuthorize("hasRole('admin')")
		Map<String, Object> admin(Authentication authentication) {
			return Map.of("admin", authentication.getName());
		}

		@GetMapping("/public/ping")
		Map<String, Object> ping() {
			return Map.of("pong", true);
		}

		@GetMapping("/boom")
		Map<String, Object> boom() {
			throw new IllegalStateException("boom");
		}

	}

}
