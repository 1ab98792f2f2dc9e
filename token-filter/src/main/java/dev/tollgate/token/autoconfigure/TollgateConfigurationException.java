package dev.tollgate.token.autoconfigure;

import java.time.Duration;

/**
 * A configuration value under {@code tollgate.*} that cannot work. Carries the offending
 * key, what is wrong with it and how to fix it, so that
 * {@link TollgateConfigurationFailureAnalyzer} can stop start-up with one clear message
 * instead of a stack trace.
 */
public final class TollgateConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String key;

	private final String problem;

	private final String fix;

	public TollgateConfigurationException(String key, String problem, String fix) {
		super(key + ": " + problem + " (" + fix + ")");
		this.key = key;
		this.problem = problem;
		this.fix = fix;
	}

	/** The configuration key at fault, e.g. {@code tollgate.signing.secret}. */
	public String key() {
		return this.key;
	}

	/** What is wrong with the value. Never contains the value of a secret. */
	public String problem() {
		return this.problem;
	}

	/** What the operator should do. */
	public String fix() {
		return this.fix;
	}

	/** Fails unless {@code value} has text. */
	public static void requireText(String key, String value) {
		if (value == null || value.isBlank()) {
			throw new TollgateConfigurationException(key, "is empty", "set a non-empty value");
		}
	}

	/** Fails unless {@code value} is a positive duration. */
	public static void requirePositive(String key, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new TollgateConfigurationException(key, "is " + value + ", must be positive",
					"use a positive duration such as 15m");
		}
	}

}
