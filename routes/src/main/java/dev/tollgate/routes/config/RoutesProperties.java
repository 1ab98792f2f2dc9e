package dev.tollgate.routes.config;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.tollgate.token.config.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Refresh-token and store settings under {@code tollgate}. Validated when bound.
 *
 * @param refreshToken lifetimes, reuse grace and cookie delivery of refresh tokens
 * @param store where refresh-token families live: {@code redis} (default) or {@code memory} (one instance only)
 * @param login limits on the routes carrying {@code IssueTokens}
 */
@ConfigurationProperties("tollgate")
public record RoutesProperties(@DefaultValue RefreshToken refreshToken, @DefaultValue("redis") String store,
		@DefaultValue Login login) {

	public RoutesProperties {
		store = store.toLowerCase(Locale.ROOT);
		if (!store.equals("redis") && !store.equals("memory")) {
			throw new TollgateConfigurationException("tollgate.store", "is '" + store + "'",
					"use 'redis' (default; shared by every instance) or 'memory' (a single instance only)");
		}
	}

	/** Whether refresh tokens live in the process (demo, tests) rather than Redis. */
	public boolean inMemory() {
		return this.store.equals("memory");
	}

	/**
	 * Refresh-token settings.
	 *
	 * @param ttl sliding lifetime of each refresh token, renewed at every rotation
	 * @param maxLifetime absolute lifetime of a login session (token family), counted from login
	 * @param reuseGrace window after a rotation in which the rotated token may be retried and gets the same
	 * successor again; 0s disables it
	 * @param cookie delivery of the refresh token in an HttpOnly cookie instead of the JSON body
	 */
	public record RefreshToken(@DefaultValue("7d") Duration ttl, @DefaultValue("30d") Duration maxLifetime,
			@DefaultValue("0s") Duration reuseGrace, @DefaultValue Cookie cookie) {

		public RefreshToken {
			TollgateConfigurationException.requirePositive("tollgate.refresh-token.ttl", ttl);
			TollgateConfigurationException.requirePositive("tollgate.refresh-token.max-lifetime", maxLifetime);
			if (reuseGrace.isNegative() || reuseGrace.compareTo(Duration.ofMinutes(1)) > 0) {
				throw new TollgateConfigurationException("tollgate.refresh-token.reuse-grace",
						"is " + reuseGrace + ", outside 0s..1m",
						"use a few seconds at most (a longer window weakens theft detection), or 0s");
			}
		}

	}

	/**
	 * Cookie mode.
	 *
	 * @param enabled deliver the refresh token only in a {@code __Secure-} HttpOnly cookie
	 * @param name the cookie name; must start with {@code __Secure-}
	 * @param path the cookie path, limited to the auth endpoints
	 * @param allowedOrigins origins (scheme://host[:port]) allowed to call refresh and logout in cookie mode
	 */
	public record Cookie(@DefaultValue("false") boolean enabled,
			@DefaultValue("__Secure-tollgate-refresh") String name, @DefaultValue("/auth") String path,
			@DefaultValue List<String> allowedOrigins) {

		public Cookie {
			if (!name.startsWith("__Secure-")) {
				throw new TollgateConfigurationException("tollgate.refresh-token.cookie.name", "is '" + name + "'",
						"keep the '__Secure-' prefix so browsers only accept the cookie over HTTPS");
			}
			allowedOrigins = List.copyOf(allowedOrigins);
		}

	}

	/**
	 * Limits on the login routes (those carrying {@code IssueTokens}).
	 *
	 * @param timeout time the user service has to answer a login completely; after it the login answers 504
	 * {@code gateway_timeout}
	 * @param maxBodySize largest login request body; a larger one answers 413 without calling the user service
	 */
	public record Login(@DefaultValue("5s") Duration timeout, @DefaultValue("16KB") DataSize maxBodySize) {

		public Login {
			TollgateConfigurationException.requirePositive("tollgate.login.timeout", timeout);
			if (maxBodySize.toBytes() < 64 || maxBodySize.toMegabytes() > 1) {
				throw new TollgateConfigurationException("tollgate.login.max-body-size", "is " + maxBodySize
						+ ", outside 64B..1MB", "a login body is a few hundred bytes; keep the default 16KB");
			}
		}

	}

}
