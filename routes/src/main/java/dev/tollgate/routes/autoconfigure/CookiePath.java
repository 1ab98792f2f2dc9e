package dev.tollgate.routes.autoconfigure;

import java.util.List;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

/**
 * The one check across two groups of keys: in cookie mode the cookie's path
 * ({@code tollgate.refresh-token.cookie.path}) must cover the refresh and the logout path
 * ({@code tollgate.endpoints.*}), or the browser would never send the cookie to them.
 */
final class CookiePath {

	private CookiePath() {
	}

	/**
	 * Stops start-up, naming the key and the fix, unless the cookie reaches both
	 * endpoints that read it.
	 */
	static void check(RefreshTokenProperties.Cookie cookie, EndpointsProperties endpoints) {
		for (String path : List.of(endpoints.refreshPath(), endpoints.logoutPath())) {
			if (cookie.enabled() && !path.startsWith(cookie.path())) {
				throw new TollgateConfigurationException("tollgate.refresh-token.cookie.path",
						"is '" + cookie.path() + "', which does not cover " + path,
						"use a path that both the refresh and the logout path start with, e.g. /auth");
			}
		}
	}

}
