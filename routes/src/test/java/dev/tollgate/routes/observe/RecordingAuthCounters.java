package dev.tollgate.routes.observe;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Counters that remember what they counted, in order: what a test reads of
 * {@code tollgate.logins} and the rest.
 */
public final class RecordingAuthCounters implements AuthCounters {

	private final List<LoginOutcome> logins = new CopyOnWriteArrayList<>();

	private final List<RefreshOutcome> refreshes = new CopyOnWriteArrayList<>();

	private final List<String> logouts = new CopyOnWriteArrayList<>();

	@Override
	public void login(LoginOutcome outcome) {
		this.logins.add(outcome);
	}

	@Override
	public void refresh(RefreshOutcome outcome) {
		this.refreshes.add(outcome);
	}

	@Override
	public void logout(boolean allSessions, boolean ended) {
		this.logouts.add((allSessions ? "all" : "session") + " " + (ended ? "revoked" : "unknown"));
	}

	public List<LoginOutcome> logins() {
		return this.logins;
	}

	public List<RefreshOutcome> refreshes() {
		return this.refreshes;
	}

	/**
	 * Each logout as its tags say it: scope, then outcome ({@code revoked} or
	 * {@code unknown}).
	 */
	public List<String> logouts() {
		return this.logouts;
	}

}
