package dev.tollgate.routes.health;

import java.util.function.BooleanSupplier;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;

/**
 * Spring Boot's {@code readinessState} health component, which also waits for the ended
 * sessions: until this instance has loaded the ended sessions recorded in the store once,
 * it reports {@code REFUSING_TRAFFIC} ({@code /actuator/health/readiness} answers 503
 * {@code OUT_OF_SERVICE}), because until then it would accept the access tokens of
 * sessions ended while it was starting. Afterwards it reports what Boot's own indicator
 * would. A later failure to reload changes nothing here (it is logged and the pub/sub
 * keeps the set current).
 */
public final class EndedSessionsReadinessIndicator extends ReadinessStateHealthIndicator {

	private final BooleanSupplier endedSessionsLoaded;

	/**
	 * @param availability Boot's application availability
	 * @param endedSessionsLoaded whether the ended sessions were loaded once
	 */
	public EndedSessionsReadinessIndicator(ApplicationAvailability availability, BooleanSupplier endedSessionsLoaded) {
		super(availability);
		this.endedSessionsLoaded = endedSessionsLoaded;
	}

	@Override
	protected AvailabilityState getState(ApplicationAvailability availability) {
		return this.endedSessionsLoaded.getAsBoolean() ? super.getState(availability) : ReadinessState.REFUSING_TRAFFIC;
	}

}
