package dev.tollgate.routes.autoconfigure;

import java.time.Clock;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.routes.endpoint.AuthEndpoints;
import dev.tollgate.routes.endpoint.EndpointCorsFilter;
import dev.tollgate.routes.endpoint.JwksEndpoint;
import dev.tollgate.routes.endpoint.LoginPreflightFilter;
import dev.tollgate.routes.endpoint.SessionEndpoints;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.cloud.gateway.config.GlobalCorsProperties;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The gateway-owned endpoints at {@code tollgate.endpoints.*}: refresh and logout (with
 * the DPoP proof check of the token endpoint, which login shares), the user's sessions,
 * the JWK Set, their router, their CORS from the gateway's own settings, and the answers
 * to pre-flights of login routes. Stops start-up when the cookie's path would not reach
 * refresh and logout ({@link CookiePath}). The operator roles are bound here too, with or
 * without Actuator, so that a wrong value stops every start-up alike. Every bean can be
 * replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties({ EndpointsProperties.class, RefreshTokenProperties.class, OperatorProperties.class })
public class TollgateEndpointsAutoConfiguration {

	TollgateEndpointsAutoConfiguration(RefreshTokenProperties refreshToken, EndpointsProperties endpoints) {
		CookiePath.check(refreshToken.cookie(), endpoints);
	}

	@Bean
	@ConditionalOnMissingBean
	TokenResponses tollgateTokenResponses(AccessTokenIssuer issuer, RefreshTokenProperties refreshToken, Clock clock) {
		return new TokenResponses(issuer, refreshToken.cookie().settings(), clock);
	}

	/**
	 * The DPoP proof check of login and refresh, on token-filter's DPoP beans
	 * ({@code tollgate.dpop.*}) and the replay guard of the store (shared by every
	 * instance with Redis); {@link TokenEndpointProof#OFF} without them.
	 */
	@Bean
	@ConditionalOnMissingBean
	TokenEndpointProof tollgateTokenEndpointProof(ObjectProvider<DpopSettings> settings,
			ObjectProvider<DpopProofVerifier> verifier, ObjectProvider<DpopRequestUri> requestUri,
			ObjectProvider<DpopReplayGuard> replay) {
		DpopSettings dpop = settings.getIfAvailable();
		if (dpop == null || dpop.mode() == DpopMode.OFF) {
			return TokenEndpointProof.OFF;
		}
		return new TokenEndpointProof(dpop, verifier.getObject(), requestUri.getObject(), replay.getObject());
	}

	@Bean
	@ConditionalOnMissingBean
	BodyReader tollgateBodyReader(TokenProperties properties) {
		return new BodyReader(properties.http().bodyTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	AuthEndpoints tollgateAuthEndpoints(RefreshTokenStore store, TokenResponses responses, ProblemResponseWriter writer,
			AuthEvents events, ClientAddressResolver clients, RefreshTokenProperties refreshToken, BodyReader bodies,
			ClientBindingResolver bindings, TokenEndpointProof proof) {
		return new AuthEndpoints(store, responses, writer, events, clients, refreshToken.cookie().settings(), bodies,
				bindings, proof);
	}

	@Bean
	@ConditionalOnMissingBean
	SessionEndpoints tollgateSessionEndpoints(AccessTokenAuthenticator authenticator, RefreshTokenStore store,
			ProblemResponseWriter writer) {
		return new SessionEndpoints(authenticator, store, writer);
	}

	@Bean
	@ConditionalOnMissingBean
	JwksEndpoint tollgateJwksEndpoint(SigningKeys keys, ObjectProvider<AssertionIssuer> assertions) {
		return new JwksEndpoint(keys, assertions.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean(name = "tollgateAuthRoutes")
	RouterFunction<ServerResponse> tollgateAuthRoutes(AuthEndpoints auth, JwksEndpoint jwks, SessionEndpoints sessions,
			EndpointsProperties paths) {
		return RouterFunctions.route(RequestPredicates.POST(paths.refreshPath()), auth::refresh)
			.andRoute(RequestPredicates.POST(paths.logoutPath()), auth::logout)
			.andRoute(RequestPredicates.GET(paths.jwksPath()), jwks::jwks)
			.andRoute(RequestPredicates.GET(paths.assertionJwksPath()), jwks::assertionKeys)
			.andRoute(RequestPredicates.GET(paths.sessionsPath()), sessions::list)
			.andRoute(RequestPredicates.DELETE(paths.sessionsPath() + "/{id}"), sessions::end);
	}

	@Bean
	@ConditionalOnMissingBean
	EndpointCorsFilter tollgateEndpointCorsFilter(EndpointsProperties paths,
			ObjectProvider<GlobalCorsProperties> cors) {
		return new EndpointCorsFilter(paths.all(), paths.sessionsPath(),
				cors.getIfAvailable(GlobalCorsProperties::new));
	}

	/**
	 * Pre-flights to the routes carrying IssueTokens, answered from globalcors whatever
	 * the routes' methods.
	 */
	@Bean
	@ConditionalOnMissingBean
	LoginPreflightFilter tollgateLoginPreflightFilter(RouteLocator routes, ObjectProvider<GlobalCorsProperties> cors) {
		return new LoginPreflightFilter(routes, cors.getIfAvailable(GlobalCorsProperties::new));
	}

}
