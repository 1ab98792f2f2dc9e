package dev.tollgate.backend.reactive;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;
import dev.tollgate.backend.support.BackendITSupport;
import dev.tollgate.backend.support.IdentityView;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.HttpStatusServerEntryPoint;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static dev.tollgate.backend.support.AssertionMinter.mint;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A WebFlux service with a security chain and reactive method security of its own, that
 * adds the assertion filter in the one line docs/backend.md shows: the starter keeps out
 * of the way and the line is enough.
 */
@SpringBootTest(classes = ReactiveOwnChainIT.OwnChainApplication.class,
		webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveOwnChainIT extends BackendITSupport {

	@Autowired
	private ApplicationContext context;

	@Test
	void contextWhenApplicationHasChainAndMethodSecurityThenStarterDeclaresNeither() {
		assertThat(this.context.getBeanNamesForType(SecurityWebFilterChain.class)).containsExactly("api");
		assertThat(this.context.containsBean("dev.tollgate.backend.autoconfigure."
				+ "TollgateBackendReactiveAutoConfiguration$MethodSecurityConfiguration"))
			.isFalse();
		assertThat(this.context.getBean(ServerAssertionSecurity.class)).isNotNull();
	}

	@Test
	void meWhenValidAssertionThenAuthenticatedThroughTheOneLine() throws Exception {
		assertIdentity(getWith("/me", mint(EC, now())), "alice", List.of("user"));
	}

	@Test
	void meWhenAssertionRefusedThen401ProblemAndWhenMissingTheApplicationsOwnAnswer() throws Exception {
		String expired = mint(ED, now().minusSeconds(120));
		assertUnauthorized(getWith("/me", expired), "assertion expired", expired);
		HttpResponse<String> missing = get("/me", "X-User-Id", "admin");
		assertThat(missing.statusCode()).isEqualTo(402);
		assertThat(get("/health").statusCode()).isEqualTo(200);
	}

	@Test
	void preAuthorizeWhenApplicationEnabledMethodSecurityThenEnforced() throws Exception {
		assertThat(getWith("/admin", mint(ED, now())).statusCode()).isEqualTo(403);
		assertThat(getWith("/admin", mint(ED, now(), (b) -> b.claim("roles", List.of("admin")))).statusCode())
			.isEqualTo(200);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	@Import(OwnChainApplication.Api.class)
	static class OwnChainApplication {

		@Bean
		MutableClock clock() {
			return MutableClock.startingNow();
		}

		@Bean
		SecurityWebFilterChain api(ServerHttpSecurity http, ServerAssertionSecurity assertionSecurity) {
			return http
				.authorizeExchange(
						(exchanges) -> exchanges.pathMatchers("/health").permitAll().anyExchange().authenticated())
				.addFilterAt(assertionSecurity.webFilter(), SecurityWebFiltersOrder.AUTHENTICATION)
				// a status nothing of the starter answers, to see the application's own
				// entry point at work
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint(new HttpStatusServerEntryPoint(HttpStatus.PAYMENT_REQUIRED)))
				.httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
				.build();
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
			Mono<Map<String, Object>> admin() {
				return Mono.just(Map.of("admin", true));
			}

			@GetMapping("/health")
			Mono<Map<String, Object>> health() {
				return Mono.just(Map.of("status", "UP"));
			}

		}

	}

}
