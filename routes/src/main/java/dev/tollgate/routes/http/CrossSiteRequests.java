package dev.tollgate.routes.http;

import java.util.List;

import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;

import org.springframework.http.HttpHeaders;

/**
 * Cookie mode's refusal of cross-site requests, the one check for every endpoint that
 * reads or sets the refresh cookie: login (else an attacker's page could log a victim's
 * browser into the attacker's session: login CSRF), refresh and logout. A browser says
 * where a request comes from: {@code Sec-Fetch-Site: cross-site} (Fetch Metadata) is
 * refused, and so is an {@code Origin} outside
 * {@code tollgate.refresh-token.cookie.allowed-origins}. A request with neither header
 * does not come from a browser page and is allowed.
 */
public final class CrossSiteRequests {

	private final List<String> allowedOrigins;

	public CrossSiteRequests(List<String> allowedOrigins) {
		this.allowedOrigins = List.copyOf(allowedOrigins);
	}

	/**
	 * The 403 {@code access_denied} to answer, or {@code null} when the request may
	 * proceed.
	 */
	public TollgateError refusal(HttpHeaders headers) {
		if ("cross-site".equalsIgnoreCase(headers.getFirst("Sec-Fetch-Site"))) {
			return TollgateErrors.accessDenied("cross-site request refused");
		}
		String origin = headers.getOrigin();
		if (origin != null && !this.allowedOrigins.contains(origin)) {
			return TollgateErrors.accessDenied("origin not allowed");
		}
		return null;
	}

}
