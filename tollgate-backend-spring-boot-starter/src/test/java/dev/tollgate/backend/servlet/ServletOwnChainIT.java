package dev.tollgate.backend.servlet;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;
import dev.tollgate.backend.support.AssertionMinter;
import dev.tollgate.backend.support.BackendITSupport;
import dev.tollgate.backend.support.IdentityView;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.access.annotation.Secured;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.tollgate.backend.support.AssertionMinter.mint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC service with a security chain and method security of its own (with
 * {@code @Secured} too), that adds the assertion filter in the one line docs/backend.md
 * shows: the starter keeps out of the way and the line is enough.
 */
@SpringBootTest(classes = ServletOwnChainIT.OwnChainApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServletOwnChainIT extends BackendITSupport {

	@Autowired
	private ApplicationContext context;

	@Test
	void contextWhenApplicationHasChainAndMethodSecurityThenStarterDeclaresNeither() {
		assertThat(this.context.getBeanNamesForType(SecurityFilterChain.class)).containsExactly("api");
		assertThat(this.context.containsBean("tollgateBackendSecurityFilterChain")).isFalse();
		assertThat(this.context.containsBean("dev.tollgate.backend.autoconfigure."
				+ "TollgateBackendServletAutoConfiguration$MethodSecurityConfiguration"))
			.isFalse();
		assertThat(this.context.getBean(AssertionSecurity.class)).isNotNull();
	}

	@Test
	void meWhenValidAssertionThenAuthenticatedThroughTheOneLine() throws Exception {
		assertIdentity(getWith("/me", mint(ED, now())), "alice", List.of("user"));
	}

	@Test
	void meWhenAssertionRefusedThen401ProblemAndWhenMissingTheApplicationsOwnAnswer() throws Exception {
		String billing = mint(ED, now(), (b) -> AssertionMinter.audience(b, "billing-service"));
		assertUnauthorized(getWith("/me", billing), "invalid aud claim", billing);
		HttpResponse<String> missing = get("/me", "X-User-Id", "admin");
		assertThat(missing.statusCode()).isEqualTo(403);
		assertThat(get("/health").statusCode()).isEqualTo(200);
	}

	@Test
	void methodSecurityWhenApplicationEnabledItThenPreAuthorizeAndSecuredBothWork() throws Exception {
		String user = mint(ED, now());
		String admin = mint(ED, now(), (b) -> b.claim("roles", List.of("admin")));
		assertThat(getWith("/admin", user).statusCode()).isEqualTo(403);
		assertThat(getWith("/admin", admin).statusCode()).isEqualTo(200);
		assertThat(getWith("/secured", user).statusCode()).isEqualTo(403);
		assertThat(getWith("/secured", admin).statusCode()).isEqualTo(200);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableMethodSecurity(securedEnabled = true)
	@Import(OwnChainApplication.Api.class)
	static class OwnChainApplication {

		@Bean
		MutableClock clock() {
			return MutableClock.startingNow();
		}

		@Bean
		SecurityFilterChain api(HttpSecurity http, AssertionSecurity assertionSecurity) throws Exception {
			return http
				.authorizeHttpRequests(
						(requests) -> requests.requestMatchers("/health").permitAll().anyRequest().authenticated())
				.addFilterBefore(assertionSecurity.filter(), BasicAuthenticationFilter.class)
				.build();
		}

		@RestController
		static class Api {

			@GetMapping("/me")
			Map<String, Object> me(@AuthenticationPrincipal TollgatePrincipal principal,
					Authentication authentication) {
				return IdentityView.of(principal, authentication);
			}

			@GetMapping("/admin")
			@PreAuthorize("hasRole('admin')")
			Map<String, Object> admin() {
				return Map.of("admin", true);
			}

			@GetMapping("/secured")
			@Secured("ROLE_admin")
			Map<String, Object> secured() {
				return Map.of("secured", true);
			}

			@GetMapping("/health")
			Map<String, Object> health() {
				return Map.of("status", "UP");
			}

		}

	}

}
