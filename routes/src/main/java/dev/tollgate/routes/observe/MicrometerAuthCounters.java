package dev.tollgate.routes.observe;

import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Tollgate's login, refresh and logout counters in Micrometer, registered once for every
 * outcome of the closed lists, so that each series exists (at 0) from start-up on:
 * {@code tollgate.logins} (outcome), {@code tollgate.refreshes} (outcome),
 * {@code tollgate.logouts} (scope, outcome).
 */
public final class MicrometerAuthCounters implements AuthCounters {

	private final Map<LoginOutcome, Counter> logins = new EnumMap<>(LoginOutcome.class);

	private final Map<RefreshOutcome, Counter> refreshes = new EnumMap<>(RefreshOutcome.class);

	private final Counter[] logouts = new Counter[4];

	public MicrometerAuthCounters(MeterRegistry registry) {
		for (LoginOutcome outcome : LoginOutcome.values()) {
			this.logins.put(outcome,
					Counter.builder("tollgate.logins")
						.description("Logins through IssueTokens routes, by outcome")
						.tag("outcome", outcome.tag())
						.register(registry));
		}
		for (RefreshOutcome outcome : RefreshOutcome.values()) {
			this.refreshes.put(outcome,
					Counter.builder("tollgate.refreshes")
						.description("Refresh requests, by outcome (reused: a rotated token came back)")
						.tag("outcome", outcome.tag())
						.register(registry));
		}
		int i = 0;
		for (String scope : new String[] { "session", "all" }) {
			for (String outcome : new String[] { "revoked", "unknown" }) {
				this.logouts[i++] = Counter.builder("tollgate.logouts")
					.description("Logout requests, by scope and outcome")
					.tag("scope", scope)
					.tag("outcome", outcome)
					.register(registry);
			}
		}
	}

	@Override
	public void login(LoginOutcome outcome) {
		this.logins.get(outcome).increment();
	}

	@Override
	public void refresh(RefreshOutcome outcome) {
		this.refreshes.get(outcome).increment();
	}

	@Override
	public void logout(boolean allSessions, boolean ended) {
		// the outcome tag says revoked for a logout that ended a session
		this.logouts[(allSessions ? 2 : 0) + (ended ? 0 : 1)].increment();
	}

}
