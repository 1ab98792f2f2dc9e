package dev.tollgate.backend.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.web.util.pattern.PathPatternParser;
import org.springframework.web.util.pattern.PatternParseException;

/**
 * Settings of a service behind a Tollgate gateway, under {@code tollgate.backend}.
 * Validated when bound: a missing or unworkable value stops start-up with a
 * {@link TollgateBackendConfigurationException} naming the key.
 *
 * @param enabled Whether the starter is on; false leaves the service's security to Spring
 * Boot and the application
 * @param jwksUri Where the gateway publishes its assertion keys: its JWK Set, e.g.
 * http://gateway:8080/.well-known/tollgate-assertion-keys.json (or
 * /.well-known/jwks.json); required
 * @param audience This service's audience, which every assertion's aud must equal: the
 * audience metadata of its routes at the gateway (default there: the route id), e.g.
 * orders-service; required
 * @param issuer The iss every assertion must have: the gateway's tollgate.issuer
 * @param publicPaths Path patterns answered without an assertion, e.g.
 * /actuator/health/**; every other path needs one
 * @param headerName The request header that carries the assertion: the gateway's
 * tollgate.assertion.header-name
 * @param clockSkew Leeway on the assertion's exp, nbf and iat for clocks that differ, at
 * most 5m
 */
@ConfigurationProperties("tollgate.backend")
public record TollgateBackendProperties(@DefaultValue("true") boolean enabled, String jwksUri, String audience,
		@DefaultValue("tollgate") String issuer, @DefaultValue List<String> publicPaths,
		@DefaultValue("X-Tollgate-Assertion") String headerName, @DefaultValue("10s") Duration clockSkew) {

	/** An HTTP field name (RFC 9110 §5.1, §5.6.2). */
	private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

	public TollgateBackendProperties {
		publicPaths = (publicPaths != null) ? List.copyOf(publicPaths) : List.of();
		if (enabled) {
			checkJwksUri(jwksUri);
			if (audience == null || audience.isBlank()) {
				throw new TollgateBackendConfigurationException("tollgate.backend.audience", "is not set",
						"set it to this service's audience, the 'audience' metadata of its routes at the gateway "
								+ "(default there: the route id), e.g. orders-service");
			}
			if (issuer == null || issuer.isBlank()) {
				throw new TollgateBackendConfigurationException("tollgate.backend.issuer", "is empty",
						"set the gateway's tollgate.issuer, or remove the key for the default 'tollgate'");
			}
			publicPaths.forEach(TollgateBackendProperties::checkPathPattern);
			if (headerName == null || !TOKEN.matcher(headerName).matches()) {
				throw new TollgateBackendConfigurationException("tollgate.backend.header-name",
						"is not an HTTP header name", "use the gateway's tollgate.assertion.header-name, "
								+ "or remove the key for the default X-Tollgate-Assertion");
			}
			if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
				throw new TollgateBackendConfigurationException("tollgate.backend.clock-skew",
						"is " + clockSkew + ", outside 0s..5m", "set a small leeway such as 10s");
			}
		}
	}

	private static void checkJwksUri(String jwksUri) {
		String fix = "set it to the gateway's assertion keys, e.g. "
				+ "http://gateway:8080/.well-known/tollgate-assertion-keys.json";
		if (jwksUri == null || jwksUri.isBlank()) {
			throw new TollgateBackendConfigurationException("tollgate.backend.jwks-uri", "is not set", fix);
		}
		URI uri;
		try {
			uri = URI.create(jwksUri.strip());
		}
		catch (IllegalArgumentException ex) {
			throw new TollgateBackendConfigurationException("tollgate.backend.jwks-uri", "is not a URI", fix);
		}
		if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				|| uri.getHost() == null) {
			throw new TollgateBackendConfigurationException("tollgate.backend.jwks-uri",
					"is not an absolute http or https URI", fix);
		}
	}

	private static void checkPathPattern(String pattern) {
		try {
			if (pattern != null && pattern.startsWith("/")) {
				PathPatternParser.defaultInstance.parse(pattern);
				return;
			}
		}
		catch (PatternParseException ex) {
			// reported below, with the key
		}
		throw new TollgateBackendConfigurationException("tollgate.backend.public-paths",
				"holds '" + pattern + "', which is not a path pattern",
				"use patterns that start with /, e.g. /actuator/health/** or /public/*");
	}

	/** The JWK Set's address. */
	public URI jwksLocation() {
		return URI.create(this.jwksUri.strip());
	}

}
