package dev.tollgate.token.observe;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Counts access checks and role checks in Micrometer: {@code tollgate.access.checks}
 * (outcome, reason, route), {@code tollgate.access.check} (a timer per outcome) and
 * {@code tollgate.role.checks} (outcome, route). Every tag value comes from a closed list
 * or the configured route ids. A meter is registered the first time its tags occur (no
 * series for combinations that never happen) and looked up by array index after that.
 */
public final class MicrometerAccessObserver implements AccessObserver {

	private static final int OUTCOMES = AccessOutcome.values().length;

	private static final int REJECTIONS = TokenRejection.values().length;

	private final MeterRegistry registry;

	private final Map<AccessOutcome, Timer> timers = new EnumMap<>(AccessOutcome.class);

	/**
	 * Per route, one slot per (outcome, rejection), registered the first time that pair
	 * occurs.
	 */
	private final Map<String, AtomicReferenceArray<Counter>> checks = new ConcurrentHashMap<>();

	private final Map<String, Counter[]> roleChecks = new ConcurrentHashMap<>();

	public MicrometerAccessObserver(MeterRegistry registry) {
		this.registry = registry;
		for (AccessOutcome outcome : AccessOutcome.values()) {
			this.timers.put(outcome,
					Timer.builder("tollgate.access.check")
						.description("Time spent checking the access token at the edge")
						.tag("outcome", outcome.tag())
						.register(registry));
		}
	}

	@Override
	public void accessChecked(String routeId, AccessOutcome outcome, TokenRejection rejection, long nanos) {
		AtomicReferenceArray<Counter> counters = this.checks.computeIfAbsent(routeId,
				(id) -> new AtomicReferenceArray<>(OUTCOMES * REJECTIONS));
		int slot = outcome.ordinal() * REJECTIONS + rejection.ordinal();
		Counter counter = counters.get(slot);
		if (counter == null) {
			counter = Counter.builder("tollgate.access.checks")
				.description("Access checks at the edge, by outcome and reason")
				.tag("outcome", outcome.tag())
				.tag("reason", rejection.tag())
				.tag("route", routeId)
				.register(this.registry);
			counters.set(slot, counter);
		}
		counter.increment();
		this.timers.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void roleChecked(String routeId, boolean granted) {
		this.roleChecks.computeIfAbsent(routeId, this::roleCounters)[granted ? 0 : 1].increment();
	}

	private Counter[] roleCounters(String routeId) {
		return new Counter[] { roleCounter(routeId, "granted"), roleCounter(routeId, "denied") };
	}

	private Counter roleCounter(String routeId, String outcome) {
		return Counter.builder("tollgate.role.checks")
			.description("RequireRoles decisions, by outcome")
			.tag("outcome", outcome)
			.tag("route", routeId)
			.register(this.registry);
	}

}
