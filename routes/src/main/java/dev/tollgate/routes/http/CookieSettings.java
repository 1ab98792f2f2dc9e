package dev.tollgate.routes.http;

import java.util.List;

/**
 * Cookie mode ({@code tollgate.refresh-token.cookie.*}): the refresh token travels only
 * in a {@code __Secure-} HttpOnly cookie, and the endpoints that read or set it refuse
 * cross-site requests.
 *
 * @param enabled whether the refresh token travels in the cookie rather than the JSON
 * body
 * @param name the cookie's name
 * @param path the cookie's path, which covers the refresh and logout endpoints
 * @param allowedOrigins origins allowed to call the endpoints that read or set the cookie
 */
public record CookieSettings(boolean enabled, String name, String path, List<String> allowedOrigins) {

	public CookieSettings {
		allowedOrigins = List.copyOf(allowedOrigins);
	}

}
