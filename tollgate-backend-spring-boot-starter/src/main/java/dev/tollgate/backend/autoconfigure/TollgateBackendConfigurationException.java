package dev.tollgate.backend.autoconfigure;

/**
 * A setting under {@code tollgate.backend.*} that is missing or cannot work. Carries the
 * key, what is wrong and how to fix it, so that
 * {@link TollgateBackendConfigurationFailureAnalyzer} stops start-up with one clear
 * message instead of a stack trace.
 */
public final class TollgateBackendConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String key;

	private final String problem;

	private final String fix;

	public TollgateBackendConfigurationException(String key, String problem, String fix) {
		super(key + ": " + problem + " (" + fix + ")");
		this.key = key;
		this.problem = problem;
		this.fix = fix;
	}

	/** The key at fault, e.g. {@code tollgate.backend.audience}. */
	public String key() {
		return this.key;
	}

	/** What is wrong with the value. */
	public String problem() {
		return this.problem;
	}

	/** What to do. */
	public String fix() {
		return this.fix;
	}

}
