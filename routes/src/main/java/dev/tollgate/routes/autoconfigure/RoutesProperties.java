package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.login.LoginLimits;
import dev.tollgate.routes.login.LoginSettings;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.token.config.TollgateConfigurationException;
import dev.tollgate.token.jwt.ClaimRules;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Refresh-token and store settings under {@code tollgate}. Validated when bound.
 *
 * @param refreshToken Lifetimes, reuse grace and cookie delivery of refresh tokens
 * @param store Where refresh-token families live: redis (shared by every instance) or memory (one instance only)
 * @param login Limits on the routes carrying IssueTokens
 * @param endpoints The paths of the gateway-owned endpoints
 * @param redis The Redis store's use of the connection
 * @param operator Who may call the operators' Actuator endpoint tollgate
 */
@ConfigurationProperties("tollgate")
public record RoutesProperties(@DefaultValue RefreshToken refreshToken, @DefaultValue("redis") String store,
		@DefaultValue Login login, @DefaultValue Endpoints endpoints, @DefaultValue Redis redis,
		@DefaultValue Operator operator) {

	public RoutesProperties {
		store = store.toLowerCase(Locale.ROOT);
		if (!store.equals("redis") && !store.equals("memory")) {
			throw new TollgateConfigurationException("tollgate.store", "is '" + store + "'",
					"use 'redis' (default; shared by every instance) or 'memory' (a single instance only)");
		}
		for (String path : List.of(endpoints.refreshPath(), endpoints.logoutPath())) {
			if (refreshToken.cookie().enabled() && !path.startsWith(refreshToken.cookie().path())) {
				throw new TollgateConfigurationException("tollgate.refresh-token.cookie.path",
						"is '" + refreshToken.cookie().path() + "', which does not cover " + path,
						"use a path that both the refresh and the logout path start with, e.g. /auth");
			}
		}
	}

	/** Whether refresh tokens live in the process (demo, tests) rather than Redis. */
	public boolean inMemory() {
		return this.store.equals("memory");
	}

	/**
	 * Refresh-token settings.
	 *
	 * @param ttl Sliding lifetime of each refresh token, renewed at every rotation
	 * @param maxLifetime Absolute lifetime of a login session (token family), counted from login
	 * @param reuseGrace Window after a rotation in which the rotated token may be retried and gets the same
	 * successor again; 0s disables it
	 * @param cookie Delivery of the refresh token in an HttpOnly cookie instead of the JSON body
	 * @param maxSessionsPerUser Most live sessions (token families) of one user; a login past it ends the user's
	 * oldest session
	 * @param binding What of the client that logged in a refresh must match
	 */
	public record RefreshToken(@DefaultValue("7d") Duration ttl, @DefaultValue("30d") Duration maxLifetime,
			@DefaultValue("0s") Duration reuseGrace, @DefaultValue Cookie cookie,
			@DefaultValue("50") int maxSessionsPerUser, @DefaultValue Binding binding) {

		public RefreshToken {
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

	}

	/**
	 * Refresh binding: at login the gateway records a keyed hash of each checked fact of the client; each refresh
	 * compares.
	 *
	 * @param checks What to compare: user-agent (the User-Agent header), address-prefix (the client address's /24
	 * for IPv4, /48 for IPv6) and device-header (the header named by device-header)
	 * @param policy On a mismatch: audit (answer as usual, audit and count), enforce (answer 401 invalid_grant and end
	 * the session), or off (record and compare nothing)
	 * @param deviceHeader The request header the device-header check reads, e.g. a device id a mobile app sends
	 */
	public record Binding(@DefaultValue("user-agent") List<String> checks, @DefaultValue("audit") String policy,
			@DefaultValue("X-Device-Id") String deviceHeader) {

		private static final java.util.Set<String> CHECKS = java.util.Set.of("user-agent", "address-prefix",
				"device-header");

		public Binding {
			checks = List.copyOf(new java.util.LinkedHashSet<>(checks));
			if (!CHECKS.containsAll(checks)) {
				throw new TollgateConfigurationException("tollgate.refresh-token.binding.checks", "is " + checks,
						"list any of user-agent, address-prefix, device-header");
			}
			policy = policy.toLowerCase(Locale.ROOT);
			if (!List.of("audit", "enforce", "off").contains(policy)) {
				throw new TollgateConfigurationException("tollgate.refresh-token.binding.policy",
						"is '" + policy + "'", "use audit (default), enforce or off");
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

		/** What the binding resolver and the stores take: no check at all unless {@link #enabled()}. */
		public BindingSettings settings() {
			return new BindingSettings(enabled() ? this.checks : List.of(), this.deviceHeader, enforced());
		}

	}

	/**
	 * Cookie mode.
	 *
	 * @param enabled Deliver the refresh token only in a __Secure- HttpOnly cookie
	 * @param name The cookie name; must start with __Secure-. Removed from every proxied request, in cookie mode and
	 * out of it
	 * @param path The cookie path, limited to the auth endpoints
	 * @param allowedOrigins Origins (scheme://host[:port]) allowed to call refresh and logout in cookie mode
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

		/** What the endpoints take. */
		public CookieSettings settings() {
			return new CookieSettings(this.enabled, this.name, this.path, this.allowedOrigins);
		}

	}

	/**
	 * Where the gateway-owned endpoints answer. A gateway route whose path predicate also matches one of them never
	 * sees that request (the endpoint answers first); move the endpoint here.
	 *
	 * @param refreshPath POST: trades a refresh token for a new token pair
	 * @param logoutPath POST: ends the refresh token's session (scope=all: every session of its user)
	 * @param sessionsPath GET: the user's live sessions; DELETE {sessions-path}/{id}: ends one
	 * @param jwksPath GET: the public verification keys as a JWK Set (404 under HS256)
	 */
	public record Endpoints(@DefaultValue("/auth/refresh") String refreshPath,
			@DefaultValue("/auth/logout") String logoutPath, @DefaultValue("/auth/sessions") String sessionsPath,
			@DefaultValue("/.well-known/jwks.json") String jwksPath) {

		public Endpoints {
			requirePath("tollgate.endpoints.refresh-path", refreshPath);
			requirePath("tollgate.endpoints.logout-path", logoutPath);
			requirePath("tollgate.endpoints.sessions-path", sessionsPath);
			requirePath("tollgate.endpoints.jwks-path", jwksPath);
			if (java.util.Set.of(refreshPath, logoutPath, sessionsPath, jwksPath).size() != 4) {
				throw new TollgateConfigurationException("tollgate.endpoints", "gives two endpoints the same path",
						"give the refresh, logout, sessions and JWK Set endpoints a path each");
			}
		}

		/** The four paths, in the order refresh, logout, sessions, JWK Set. */
		public List<String> all() {
			return List.of(this.refreshPath, this.logoutPath, this.sessionsPath, this.jwksPath);
		}

		private static void requirePath(String key, String path) {
			if (path == null || !PATH.matcher(path).matches() || path.contains("//") || path.contains("/./")
					|| path.contains("/../") || path.endsWith("/.") || path.endsWith("/..")) {
				throw new TollgateConfigurationException(key, "is '" + path + "'",
						"use an absolute path of letters, digits and - . _ ~ /, e.g. /auth/refresh");
			}
		}

		private static final java.util.regex.Pattern PATH = java.util.regex.Pattern.compile("/[A-Za-z0-9._~/-]*");

	}

	/**
	 * The operators' Actuator endpoint {@code tollgate} (list or end any user's sessions): only for an access token
	 * of this gateway carrying one of these roles.
	 *
	 * @param roles Roles of which an access token must carry one to call the operators' Actuator endpoint tollgate
	 */
	public record Operator(@DefaultValue("tollgate-operator") List<String> roles) {

		public Operator {
			roles = List.copyOf(roles);
			if (roles.isEmpty() || !roles.stream().allMatch(ClaimRules::isValidRole)) {
				throw new TollgateConfigurationException("tollgate.operator.roles", "is " + roles,
						"name at least one role a token can carry (1-64 printable ASCII characters, no space or "
								+ "comma), e.g. tollgate-operator");
			}
		}

	}

	/**
	 * The Redis store's use of Spring Boot's Redis connection.
	 *
	 * @param timeout Longest wait for one store operation before login, refresh or logout answer 503; also the
	 * Redis client's command timeout unless spring.data.redis.timeout sets one
	 * @param waitReplicas Replicas that must acknowledge a login, a rotation or the end of a session (Redis WAIT, for
	 * at most half of tollgate.redis.timeout) before the client is answered, so that a fail-over cannot lose it; if
	 * fewer do, 503 temporarily_unavailable. 0 (default) waits for none. Pair it with a reuse-grace of a few seconds,
	 * so that a client retrying a refresh answered 503 gets the same successor
	 */
	public record Redis(@DefaultValue("2s") Duration timeout, @DefaultValue("0") int waitReplicas) {

		public Redis {
			TollgateConfigurationException.requirePositive("tollgate.redis.timeout", timeout);
			if (waitReplicas < 0) {
				throw new TollgateConfigurationException("tollgate.redis.wait-replicas", "is " + waitReplicas,
						"use 0 (answer once the master has the write) or the number of replicas that must have it, "
								+ "e.g. 1");
			}
		}

		/**
		 * The longest Redis {@code WAIT}: half of {@link #timeout}, so that the write and its {@code WAIT} together
		 * answer within the timeout, and a {@code WAIT} that runs out answers 503 rather than a client-side timeout.
		 */
		public Duration waitTimeout() {
			return this.timeout.dividedBy(2);
		}

	}

	/**
	 * Limits on the login routes (those carrying {@code IssueTokens}), and failed-login lock-outs.
	 *
	 * @param timeout Time the user service has to answer a login completely; after it the login answers 504
	 * gateway_timeout
	 * @param maxBodySize Largest login request body; a larger one answers 413 without calling the user service
	 * @param maxFailures Failed logins of one (username, client address) within the failure window before that pair
	 * is locked
	 * @param failureWindow The time failed logins are counted in, from the first one
	 * @param lockout How long a pair or an address is locked the first time; each further lock doubles it
	 * @param maxLockout The longest lock-out
	 * @param maxFailuresPerAddress Failed logins from one client address, whatever the usernames, within the failure
	 * window before that address is locked for every username
	 * @param protection Whether failed logins are counted and locked out at all
	 */
	public record Login(@DefaultValue("5s") Duration timeout, @DefaultValue("16KB") DataSize maxBodySize,
			@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration failureWindow,
			@DefaultValue("1m") Duration lockout, @DefaultValue("15m") Duration maxLockout,
			@DefaultValue("50") int maxFailuresPerAddress, @DefaultValue Protection protection) {

		public Login {
			TollgateConfigurationException.requirePositive("tollgate.login.timeout", timeout);
			if (maxBodySize.toBytes() < 64 || maxBodySize.toMegabytes() > 1) {
				throw new TollgateConfigurationException("tollgate.login.max-body-size", "is " + maxBodySize
						+ ", outside 64B..1MB", "a login body is a few hundred bytes; keep the default 16KB");
			}
			TollgateConfigurationException.requirePositive("tollgate.login.failure-window", failureWindow);
			TollgateConfigurationException.requirePositive("tollgate.login.lockout", lockout);
			if (maxLockout.compareTo(lockout) < 0) {
				throw new TollgateConfigurationException("tollgate.login.max-lockout",
						"is " + maxLockout + ", shorter than tollgate.login.lockout (" + lockout + ")",
						"make it at least the first lock-out, e.g. 15m");
			}
			if (maxFailures < 1 || maxFailuresPerAddress < maxFailures) {
				throw new TollgateConfigurationException("tollgate.login.max-failures",
						"is " + maxFailures + " with max-failures-per-address " + maxFailuresPerAddress,
						"allow at least 1 failure per username and address, and at least as many per address "
								+ "(many users share an address behind a NAT), e.g. 5 and 50");
			}
		}

		/** What the IssueTokens filter takes. */
		public LoginSettings settings() {
			return new LoginSettings(this.timeout, (int) this.maxBodySize.toBytes());
		}

		/**
		 * What the login guard takes. An attempt admitted and never ended (a crash) counts as possibly failed for the
		 * login deadline plus a margin.
		 */
		public LoginLimits limits() {
			return new LoginLimits(this.maxFailures, this.maxFailuresPerAddress, this.failureWindow.toMillis(),
					this.lockout.toMillis(), this.maxLockout.toMillis(),
					this.timeout.plus(Duration.ofSeconds(5)).toMillis());
		}

	}

	/**
	 * Failed-login protection.
	 *
	 * @param enabled Count failed logins per (username, address) and per address, and lock out past the limits
	 */
	public record Protection(@DefaultValue("true") boolean enabled) {
	}

}
