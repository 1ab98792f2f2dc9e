package dev.tollgate.routes.login;

/**
 * The limits of {@link LoginGuard}, in milliseconds.
 *
 * @param maxFailures failures of one (username, address) within the window before that
 * pair is locked
 * @param maxFailuresPerAddress failures from one address within the window before it is
 * locked for every username
 * @param windowMillis the window failures are counted in, from the first one
 * @param lockoutMillis the first lock-out; each further one doubles it
 * @param maxLockoutMillis the longest lock-out
 * @param inFlightMillis how long an admitted attempt counts as possibly failed if it is
 * never ended (a crash): the login deadline plus a margin
 */
public record LoginLimits(int maxFailures, int maxFailuresPerAddress, long windowMillis, long lockoutMillis,
		long maxLockoutMillis, long inFlightMillis) {

	/**
	 * The lock-out after {@code locks} locks (1 for the first): doubling from
	 * {@code lockout}, capped.
	 */
	long lockoutAfter(int locks) {
		long lockout = this.lockoutMillis << Math.min(Math.max(locks - 1, 0), 30);
		return (lockout <= 0 || lockout > this.maxLockoutMillis) ? this.maxLockoutMillis : lockout;
	}

}
