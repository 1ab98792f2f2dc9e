package dev.tollgate.routes.endpoint;

import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * The operator a call to the operators' Actuator endpoint {@code tollgate} was
 * authenticated as, handed by {@link OperatorAccessFilter} to the endpoint's operations
 * in the call's Reactor {@link Context}: Actuator gives an operation a
 * {@code SecurityContext} only from Spring Security, which a Tollgate gateway need not
 * have.
 *
 * @param userId the operator's user id (the access token's {@code sub})
 */
public record Operator(String userId) {

	/**
	 * The operator of the current call; an error when there is none, so that an operation
	 * reached without {@link OperatorAccessFilter} (another exposure, a misconfiguration)
	 * does nothing.
	 */
	public static Mono<Operator> current() {
		return Mono.deferContextual((context) -> context.<Operator>getOrEmpty(Operator.class)
			.map(Mono::just)
			.orElseGet(() -> Mono.error(new IllegalStateException("No operator authenticated this call: the "
					+ "tollgate endpoint answers only behind OperatorAccessFilter"))));
	}

	/** {@code context} with this operator. */
	public Context addTo(Context context) {
		return context.put(Operator.class, this);
	}

}
