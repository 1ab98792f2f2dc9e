package dev.tollgate.routes.autoconfigure;

import java.time.Duration;

import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.endpoint.AuthEndpoints;
import dev.tollgate.routes.endpoint.EndpointCorsFilter;
import dev.tollgate.routes.endpoint.JwksEndpoint;
import dev.tollgate.routes.endpoint.LoginPreflightFilter;
import dev.tollgate.routes.endpoint.SessionEndpoints;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateEndpointsAutoConfiguration}: the gateway-owned endpoints, their router
 * and CORS.
 */
class TollgateEndpointsAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenTollgateOnThenEveryEndpointAndTheRouter() {
		this.runner.run((context) -> {
			assertThat(context).getBean("tollgateAuthEndpoints").isInstanceOf(AuthEndpoints.class);
			assertThat(context).getBean("tollgateSessionEndpoints").isInstanceOf(SessionEndpoints.class);
			assertThat(context).getBean("tollgateJwksEndpoint").isInstanceOf(JwksEndpoint.class);
			assertThat(context).getBean("tollgateAuthRoutes").isInstanceOf(RouterFunction.class);
			assertThat(context).getBean("tollgateEndpointCorsFilter").isInstanceOf(EndpointCorsFilter.class);
			assertThat(context).getBean("tollgateLoginPreflightFilter").isInstanceOf(LoginPreflightFilter.class);
			assertThat(context).getBean("tollgateTokenResponses").isInstanceOf(TokenResponses.class);
			assertThat(context).getBean("tollgateBodyReader").isInstanceOf(BodyReader.class);
		});
	}

	@Test
	void routerWhenTheApplicationHasOneOfTheSameNameThenThatOne() {
		RouterFunction<ServerResponse> own = RouterFunctions.route()
			.GET("/own", (request) -> ServerResponse.ok().build())
			.build();
		this.runner.withBean("tollgateAuthRoutes", RouterFunction.class, () -> own)
			.run((context) -> assertThat(context.getBean("tollgateAuthRoutes")).isSameAs(own));
	}

	@Test
	void tokenEndpointProofWhenDpopOnThenTheProofCheckAndWhenOffThenNone() {
		this.runner.run(
				(context) -> assertThat(context).getBean(TokenEndpointProof.class).isNotSameAs(TokenEndpointProof.OFF));
		this.runner.withPropertyValues("tollgate.dpop.mode=off")
			.run((context) -> assertThat(context).getBean(TokenEndpointProof.class).isSameAs(TokenEndpointProof.OFF));
	}

	@Test
	void bodyReaderWhenTheApplicationHasItsOwnThenThatOne() {
		BodyReader own = new BodyReader(Duration.ofSeconds(1));
		this.runner.withBean("ownReader", BodyReader.class, () -> own)
			.run((context) -> assertThat(context).getBean(BodyReader.class).isSameAs(own));
	}

	@Test
	void startupWhenCookiePathDoesNotCoverTheRefreshPathThenFailsNamingTheCookiePath() {
		this.runner
			.withPropertyValues("tollgate.refresh-token.cookie.enabled=true",
					"tollgate.refresh-token.cookie.path=/auth", "tollgate.endpoints.refresh-path=/tokens/refresh")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(TollgateConfigurationException.class, (ex) -> {
					assertThat(ex.key()).isEqualTo("tollgate.refresh-token.cookie.path");
					assertThat(ex.problem()).isEqualTo("is '/auth', which does not cover /tokens/refresh");
				}));
	}

	@Test
	void startupWhenCookiePathDoesNotCoverTheRefreshPathOutOfCookieModeThenStarts() {
		this.runner
			.withPropertyValues("tollgate.refresh-token.cookie.path=/auth",
					"tollgate.endpoints.refresh-path=/tokens/refresh")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(AuthEndpoints.class);
			assertThat(context).doesNotHaveBean("tollgateAuthRoutes");
			assertThat(context).doesNotHaveBean(EndpointCorsFilter.class);
			assertThat(context).doesNotHaveBean(LoginPreflightFilter.class);
		});
	}

}
