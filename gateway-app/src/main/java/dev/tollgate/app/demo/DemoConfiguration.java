package dev.tollgate.app.demo;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.routes.autoconfigure.RefreshTokenProperties;
import dev.tollgate.token.autoconfigure.TokenProperties;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * DEMO ONLY: the in-process fake backends of the {@code demo} profile, and the demo page
 * at {@code /demo/} (static files from {@code classpath:demo-page/}, with the browser
 * client copied in at build time). Router functions are mapped before the gateway's
 * routes, so these paths never reach an upstream.
 */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

	private static final String PAGE_LOCATION = "demo-page/";

	@Bean
	DemoBackends demoBackends(@Value("${tollgate.demo.user-service-port}") int userServicePort,
			@Value("${tollgate.demo.upstream-port}") int upstreamPort) {
		return new DemoBackends(userServicePort, upstreamPort);
	}

	/**
	 * {@code /demo/} (the page), {@code /demo/config.json} (what the page needs to know
	 * about this gateway: the refresh-token mode, the access-token timing, and whether
	 * the page's client should use DPoP) and the page's static files.
	 * @param dpop {@code tollgate.demo.dpop} (default false): the page creates its client
	 * with {@code dpop: true} (RFC 9449 proofs, tokens bound to a key kept in IndexedDB);
	 * the page's {@code ?dpop=1} or {@code ?dpop=0} overrides it
	 */
	@Bean
	RouterFunction<ServerResponse> demoPage(RefreshTokenProperties refreshToken, TokenProperties tokens,
			@Value("${tollgate.demo.dpop:false}") boolean dpop) {
		Resource index = new ClassPathResource(PAGE_LOCATION + "index.html");
		Map<String, Object> config = new LinkedHashMap<>();
		config.put("mode", refreshToken.cookie().enabled() ? "cookie" : "body");
		config.put("accessTokenTtlSeconds", tokens.accessToken().ttl().toSeconds());
		config.put("clockSkewSeconds", tokens.accessToken().clockSkew().toSeconds());
		config.put("dpop", dpop);
		return RouterFunctions
			.route(RequestPredicates.GET("/demo"),
					(request) -> ServerResponse.permanentRedirect(URI.create("/demo/")).build())
			.andRoute(RequestPredicates.GET("/demo/"),
					(request) -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index))
			.andRoute(RequestPredicates.GET("/demo/config.json"),
					(request) -> ServerResponse.ok()
						.contentType(MediaType.APPLICATION_JSON)
						.header("Cache-Control", "no-store")
						.bodyValue(config))
			.and(RouterFunctions.resources("/demo/**", new ClassPathResource(PAGE_LOCATION)));
	}

}
