package dev.tollgate.routes.autoconfigure;

import java.time.Duration;

import dev.tollgate.routes.login.LoginLimits;
import dev.tollgate.routes.login.LoginSettings;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on the login routes (those carrying {@code IssueTokens}), and failed-login
 * lock-outs, under {@code tollgate.login}. Validated when bound.
 *
 * @param timeout Time the user service has to answer a login completely; after it the
 * login answers 504 gateway_timeout
 * @param maxBodySize Largest login request body; a larger one answers 413 without calling
 * the user service
 * @param maxFailures Failed logins of one (username, client address) within the failure
 * window before that pair is locked
 * @param failureWindow The time failed logins are counted in, from the first one
 * @param lockout How long a pair or an address is locked the first time; each further
 * lock doubles it
 * @param maxLockout The longest lock-out
 * @param maxFailuresPerAddress Failed logins from one client address, whatever the
 * usernames, within the failure window before that address is locked for every username
 * @param protection Whether failed logins are counted and locked out at all
 */
@ConfigurationProperties("tollgate.login")
public record LoginProperties(@DefaultValue("5s") Duration timeout, @DefaultValue("16KB") DataSize maxBodySize,
		@DefaultValue("5") int maxFailures, @DefaultValue("15m") Duration failureWindow,
		@DefaultValue("1m") Duration lockout, @DefaultValue("15m") Duration maxLockout,
		@DefaultValue("50") int maxFailuresPerAddress, @DefaultValue Protection protection) {

	public LoginProperties {
		TollgateConfigurationException.requirePositive("tollgate.login.timeout", timeout);
		if (maxBodySize.toBytes() < 64 || maxBodySize.toMegabytes() > 1) {
			throw new TollgateConfigurationException("tollgate.login.max-body-size",
					"is " + maxBodySize + ", outside 64B..1MB",
					"a login body is a few hundred bytes; keep the default 16KB");
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
	 * What the login guard takes. An attempt admitted and never ended (a crash) counts as
	 * possibly failed for the login deadline plus a margin.
	 */
	public LoginLimits limits() {
		return new LoginLimits(this.maxFailures, this.maxFailuresPerAddress, this.failureWindow.toMillis(),
				this.lockout.toMillis(), this.maxLockout.toMillis(),
				this.timeout.plus(Duration.ofSeconds(5)).toMillis());
	}

	/**
	 * Failed-login protection.
	 *
	 * @param enabled Count failed logins per (username, address) and per address, and
	 * lock out past the limits
	 */
	public record Protection(@DefaultValue("true") boolean enabled) {
	}

}
