package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Refresh-token settings under {@code tollgate.refresh-token}: lifetimes, reuse grace,
 * the per-user limit, the refresh binding and cookie mode. Validated when bound.
 *
 * @param ttl Sliding lifetime of each refresh token, renewed at every rotation
 * @param maxLifetime Absolute lifetime of a login session (token family), counted from
 * login
 * @param reuseGrace Window after a rotation in which the rotated token may be retried and
 * gets the same successor again; 0s disables it
 * @param cookie Delivery of the refresh token in an HttpOnly cookie instead of the JSON
 * body
 * @param maxSessionsPerUser Most live sessions (token families) of one user; a login past
 * it ends the user's oldest session
 * @param binding What of the client that logged in a refresh must match
 */
@ConfigurationProperties("tollgate.refresh-token")
public record RefreshTokenProperties(@DefaultValue("7d") Duration ttl, @DefaultValue("30d") Duration maxLifetime,
		@DefaultValue("0s") Duration reuseGrace, @DefaultValue Cookie cookie,
		@DefaultValue("50") int maxSessionsPerUser, @DefaultValue Binding binding) {

	public RefreshTokenProperties {
		TollgateConfigurationException.requirePositive("tollgate.refresh-token.ttl", ttl);
		TollgateConfigurationException.requirePositive("tollgate.refresh-token.max-lifetime", maxLifetime);
		if (maxSessionsPerUser < 1) {
			throw new TollgateConfigurationException("tollgate.refresh-token.max-sessions-per-user",
					"is " + maxSessionsPerUser, "allow at least one session per user, e.g. 50");
		}
		if (reuseGrace.isNegative() || reuseGrace.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new TollgateConfigurationException("tollgate.refresh-token.reuse-grace",
					"is " + reuseGrace + ", outside 0s..1m",
					"use a few seconds at most (a longer window weakens theft detection), or 0s");
		}
	}

	/** What the stores enforce. */
	public SessionSettings settings() {
		return new SessionSettings(this.ttl, this.maxLifetime, this.reuseGrace, this.maxSessionsPerUser,
				this.binding.settings());
	}

	/**
	 * Refresh binding: at login the gateway records a keyed hash of each checked fact of
	 * the client; each refresh compares.
	 *
	 * @param checks What to compare: user-agent (the User-Agent header), address-prefix
	 * (the client address's /24 for IPv4, /48 for IPv6) and device-header (the header
	 * named by device-header)
	 * @param policy On a mismatch: audit (answer as usual, audit and count), enforce
	 * (answer 401 invalid_grant and end the session), or off (record and compare nothing)
	 * @param deviceHeader The request header the device-header check reads, e.g. a device
	 * id a mobile app sends
	 */
	public record Binding(@DefaultValue("user-agent") List<String> checks, @DefaultValue("audit") String policy,
			@DefaultValue("X-Device-Id") String deviceHeader) {

		private static final Set<String> CHECKS = Set.of("user-agent", "address-prefix", "device-header");

		public Binding {
			checks = List.copyOf(new LinkedHashSet<>(checks));
			if (!CHECKS.containsAll(checks)) {
				throw new TollgateConfigurationException("tollgate.refresh-token.binding.checks", "is " + checks,
						"list any of user-agent, address-prefix, device-header");
			}
			policy = policy.toLowerCase(Locale.ROOT);
			if (!List.of("audit", "enforce", "off").contains(policy)) {
				throw new TollgateConfigurationException("tollgate.refresh-token.binding.policy", "is '" + policy + "'",
						"use audit (default), enforce or off");
			}
			if (!deviceHeader.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
				throw new TollgateConfigurationException("tollgate.refresh-token.binding.device-header",
						"is '" + deviceHeader + "'", "name an HTTP header, e.g. X-Device-Id");
			}
		}

		/** Whether anything is recorded and compared. */
		public boolean enabled() {
			return !this.policy.equals("off") && !this.checks.isEmpty();
		}

		/** Whether a mismatch ends the session. */
		public boolean enforced() {
			return this.policy.equals("enforce");
		}

		/**
		 * What the binding resolver and the stores take: no check at all unless
		 * {@link #enabled()}.
		 */
		public BindingSettings settings() {
			return new BindingSettings(enabled() ? this.checks : List.of(), this.deviceHeader, enforced());
		}

	}

	/**
	 * Cookie mode.
	 *
	 * @param enabled Deliver the refresh token only in a __Secure- HttpOnly cookie
	 * @param name The cookie name; must start with __Secure-. Removed from every proxied
	 * request, in cookie mode and out of it
	 * @param path The cookie path, limited to the auth endpoints
	 * @param allowedOrigins Origins (scheme://host[:port]) allowed to call refresh and
	 * logout in cookie mode
	 */
	public record Cookie(@DefaultValue("false") boolean enabled, @DefaultValue("__Secure-tollgate-refresh") String name,
			@DefaultValue("/auth") String path, @DefaultValue List<String> allowedOrigins) {

		public Cookie {
			if (!name.startsWith("__Secure-")) {
				throw new TollgateConfigurationException("tollgate.refresh-token.cookie.name", "is '" + name + "'",
						"keep the '__Secure-' prefix so browsers only accept the cookie over HTTPS");
			}
			allowedOrigins = List.copyOf(allowedOrigins);
		}

		/** What the endpoints take. */
		public CookieSettings settings() {
			return new CookieSettings(this.enabled, this.name, this.path, this.allowedOrigins);
		}

	}

}
