package dev.tollgate.routes.login;

import reactor.core.publisher.Mono;

/**
 * Failed-login counting and lock-outs (CONTRACT.md, "Login protection"): per (username,
 * client address) and per client address, in the store, shared by every instance. A login
 * is first {@link #admit admitted}, and every admitted attempt is {@link #end ended} once
 * with its result. While admitted and not yet ended, an attempt counts as a possible
 * failure, so that concurrent attempts cannot get past the limit before their failures
 * are counted.
 * <p>
 * Implementations: {@link RedisLoginGuard} and {@link InMemoryLoginGuard}; both pass
 * {@code LoginGuardContractTests}. A store that cannot be reached fails {@link #admit}
 * with {@code StoreUnavailableException} (the login needs the store to start a session
 * anyway).
 */
public interface LoginGuard {

	/**
	 * No protection: every attempt admitted
	 * ({@code tollgate.login.protection.enabled=false}).
	 */
	LoginGuard NONE = new LoginGuard() {

		@Override
		public Mono<Admission> admit(LoginAttempt attempt) {
			return Mono.just(Admission.ADMITTED);
		}

		@Override
		public Mono<Void> end(LoginAttempt attempt, Result result) {
			return Mono.empty();
		}

	};

	/**
	 * Whether {@code attempt} may reach the user service now, or how long its pair or
	 * address is locked.
	 */
	Mono<Admission> admit(LoginAttempt attempt);

	/**
	 * Ends an admitted attempt: counts a failure (and locks past the limits) or resets
	 * the pair on a success.
	 */
	Mono<Void> end(LoginAttempt attempt, Result result);

	/** How an admitted login ended, for the counts. */
	enum Result {

		/** The user service refused the credentials (401/403): counted. */
		FAILED,

		/**
		 * A session started: the (username, address) pair's count and lock-out level are
		 * reset.
		 */
		SUCCEEDED,

		/**
		 * Anything else (the user service failed, timed out, the client went away): not
		 * counted.
		 */
		NOT_COUNTED

	}

	/**
	 * The answer to {@link #admit}.
	 *
	 * @param admitted whether the attempt may proceed
	 * @param retryAfterMillis when refused, how long until it may be tried again
	 */
	record Admission(boolean admitted, long retryAfterMillis) {

		/** Go ahead. */
		public static final Admission ADMITTED = new Admission(true, 0);

		/** Refused for {@code millis}. */
		public static Admission locked(long millis) {
			return new Admission(false, Math.max(1, millis));
		}

		/** {@code Retry-After} in whole seconds, rounded up. */
		public long retryAfterSeconds() {
			return (this.retryAfterMillis + 999) / 1000;
		}

	}

}
