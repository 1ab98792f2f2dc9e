package dev.tollgate.routes.login;

import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.CrossSiteRequests;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;

import org.springframework.http.HttpHeaders;

/**
 * The refusals a login gets from its headers alone, before its body is read and the user
 * service is called: in cookie mode a cross-site request (403 {@code access_denied}: else
 * an attacker's page could log a victim's browser into the attacker's session), and a
 * body announced larger than {@code tollgate.login.max-body-size} (413).
 */
final class LoginPrechecks {

	/** Cookie mode's cross-site refusal, or {@code null} in body mode. */
	private final CrossSiteRequests crossSite;

	private final int maxBodyBytes;

	LoginPrechecks(CookieSettings cookie, int maxBodyBytes) {
		this.crossSite = cookie.enabled() ? new CrossSiteRequests(cookie.allowedOrigins()) : null;
		this.maxBodyBytes = maxBodyBytes;
	}

	/**
	 * The answer to a login with these request headers, or {@code null} when its body may
	 * be read.
	 */
	TollgateError refusal(HttpHeaders headers) {
		TollgateError refusal = (this.crossSite != null) ? this.crossSite.refusal(headers) : null;
		if (refusal == null && headers.getContentLength() > this.maxBodyBytes) {
			refusal = TollgateErrors.payloadTooLarge("body too large");
		}
		return refusal;
	}

}
