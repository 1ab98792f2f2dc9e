package dev.tollgate.token.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Turns a {@link TollgateConfigurationException} anywhere in a start-up failure's cause
 * chain into one message naming the key and the fix. Ordered first so that it wins over
 * Spring Boot's generic binding analyzers, which would otherwise report the wrapping bind
 * exception.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public final class TollgateConfigurationFailureAnalyzer
		extends AbstractFailureAnalyzer<TollgateConfigurationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, TollgateConfigurationException cause) {
		return new FailureAnalysis("Invalid Tollgate configuration: '" + cause.key() + "' " + cause.problem() + ".",
				"Fix '" + cause.key() + "': " + cause.fix() + ".", cause);
	}

}
