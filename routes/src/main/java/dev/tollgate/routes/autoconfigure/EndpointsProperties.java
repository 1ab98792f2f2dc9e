package dev.tollgate.routes.autoconfigure;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the gateway-owned endpoints answer, under {@code tollgate.endpoints}. A gateway
 * route whose path predicate also matches one of them never sees that request (the
 * endpoint answers first); move the endpoint here.
 *
 * @param refreshPath POST: trades a refresh token for a new token pair
 * @param logoutPath POST: ends the refresh token's session (scope=all: every session of
 * its user)
 * @param sessionsPath GET: the user's live sessions; DELETE {sessions-path}/{id}: ends
 * one
 * @param jwksPath GET: the public verification keys as a JWK Set (404 under HS256)
 * @param assertionJwksPath GET: the keys of the signed identity for backends alone, as a
 * JWK Set, whatever the access-token algorithm
 */
@ConfigurationProperties("tollgate.endpoints")
public record EndpointsProperties(@DefaultValue("/auth/refresh") String refreshPath,
		@DefaultValue("/auth/logout") String logoutPath, @DefaultValue("/auth/sessions") String sessionsPath,
		@DefaultValue("/.well-known/jwks.json") String jwksPath,
		@DefaultValue("/.well-known/tollgate-assertion-keys.json") String assertionJwksPath) {

	private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");

	public EndpointsProperties {
		requirePath("tollgate.endpoints.refresh-path", refreshPath);
		requirePath("tollgate.endpoints.logout-path", logoutPath);
		requirePath("tollgate.endpoints.sessions-path", sessionsPath);
		requirePath("tollgate.endpoints.jwks-path", jwksPath);
		requirePath("tollgate.endpoints.assertion-jwks-path", assertionJwksPath);
		if (Set.of(refreshPath, logoutPath, sessionsPath, jwksPath, assertionJwksPath).size() != 5) {
			throw new TollgateConfigurationException("tollgate.endpoints", "gives two endpoints the same path",
					"give the refresh, logout, sessions, JWK Set and assertion keys endpoints a path each");
		}
	}

	/** The paths, in the order refresh, logout, sessions, JWK Set, assertion keys. */
	public List<String> all() {
		return List.of(this.refreshPath, this.logoutPath, this.sessionsPath, this.jwksPath, this.assertionJwksPath);
	}

	private static void requirePath(String key, String path) {
		if (path == null || !PATH.matcher(path).matches() || path.contains("//") || path.contains("/./")
				|| path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
			throw new TollgateConfigurationException(key, "is '" + path + "'",
					"use an absolute path of letters, digits and - . _ ~ /, e.g. /auth/refresh");
		}
	}

}
