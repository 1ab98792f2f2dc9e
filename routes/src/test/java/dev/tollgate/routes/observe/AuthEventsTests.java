package dev.tollgate.routes.observe;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tollgate.routes.session.Session;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuthEventsTests {

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private final AuditLog audit = new AuditLog(this.published::add);

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final AuthEvents events = new AuthEvents(this.audit, new MicrometerAuthCounters(this.registry));

	@AfterEach
	void close() {
		this.audit.close();
	}

	private double count(String name, String... tags) {
		return this.registry.get(name).tags(tags).counter().count();
	}

	private TollgateAuditEvent only() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.published.size() == 1);
		return (TollgateAuditEvent) this.published.get(0);
	}

	@Test
	void loginWhenLockedThenCountedAndLoginLockedEventWithUsernameAndAddress() {
		this.events.login(LoginOutcome.LOCKED, null, null, "alice", "203.0.113.7");
		assertThat(count("tollgate.logins", "outcome", "locked")).isEqualTo(1);
		assertThat(count("tollgate.logins", "outcome", "success")).isZero();
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.LoginLocked.class);
		assertThat(event.action()).isEqualTo("login_locked");
		assertThat(event.username()).isEqualTo("alice");
		assertThat(event.clientIp()).isEqualTo("203.0.113.7");
		assertThat(event.reason()).isEqualTo("locked");
	}

	@Test
	void refreshWhenReusedThenCountedAsReusedAndReuseDetectedEvent() {
		this.events.refresh(RefreshOutcome.REUSED, "u-1", "s-1", "203.0.113.7");
		assertThat(count("tollgate.refreshes", "outcome", "reused")).isEqualTo(1);
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.RefreshTokenReuseDetected.class);
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.sessionId()).isEqualTo("s-1");
	}

	@Test
	void loginWhenDpopReplayThenCountedAndDpopProofReplayedEventSayingLogin() {
		this.events.login(LoginOutcome.DPOP_REPLAY, null, null, null, "203.0.113.7");
		assertThat(count("tollgate.logins", "outcome", "dpop_replay")).isEqualTo(1);
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.DpopProofReplayed.class);
		assertThat(event.action()).isEqualTo("dpop_proof_replayed");
		assertThat(event.reason()).isEqualTo("login");
		assertThat(event.clientIp()).isEqualTo("203.0.113.7");
	}

	@Test
	void loginWhenOtherDpopRefusalsThenCountedUnderTheirOwnOutcomeAndLoginFailed() {
		this.events.login(LoginOutcome.DPOP_PROOF_REQUIRED, null, null, null, "203.0.113.7");
		assertThat(count("tollgate.logins", "outcome", "dpop_proof_required")).isEqualTo(1);
		assertThat(count("tollgate.logins", "outcome", "dpop_proof_invalid")).isZero();
		assertThat(count("tollgate.logins", "outcome", "dpop_nonce")).isZero();
		TollgateAuditEvent event = only();
		assertThat(event.action()).isEqualTo("login_failed");
		assertThat(event.reason()).isEqualTo("dpop_proof_required");
	}

	@Test
	void refreshWhenDpopReplayThenCountedAndDpopProofReplayedEventSayingRefresh() {
		this.events.refresh(RefreshOutcome.DPOP_REPLAY, null, null, "203.0.113.7");
		assertThat(count("tollgate.refreshes", "outcome", "dpop_replay")).isEqualTo(1);
		TollgateAuditEvent event = only();
		assertThat(event.action()).isEqualTo("dpop_proof_replayed");
		assertThat(event.reason()).isEqualTo("refresh");
	}

	@Test
	void keyMismatchThenCountedAsDpopKeyMismatchAndRefreshDpopKeyMismatchEventWithPolicyAndWhatCame() {
		this.events.keyMismatch(true, "u-1", "s-1", "203.0.113.7", false);
		assertThat(count("tollgate.refreshes", "outcome", "dpop_key_mismatch")).isEqualTo(1);
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.RefreshDpopKeyMismatch.class);
		assertThat(event.action()).isEqualTo("refresh_dpop_key_mismatch");
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.sessionId()).isEqualTo("s-1");
		assertThat(event.reason()).isEqualTo("enforce:no_proof");
	}

	@Test
	void countersWhenRegisteredThenEveryDpopOutcomeExistsAtZero() {
		for (String outcome : List.of("dpop_proof_required", "dpop_proof_invalid", "dpop_replay", "dpop_nonce")) {
			assertThat(count("tollgate.logins", "outcome", outcome)).as(outcome).isZero();
		}
		for (String outcome : List.of("dpop_proof_invalid", "dpop_replay", "dpop_nonce", "dpop_key_mismatch")) {
			assertThat(count("tollgate.refreshes", "outcome", outcome)).as(outcome).isZero();
		}
	}

	@Test
	void reuseAtLogoutThenCountedAsAReusedRefreshAndALogoutThatEndedASessionAndReuseDetectedEvent() {
		this.events.reuseAtLogout(true, "u-1", "s-1", "203.0.113.7");
		assertThat(count("tollgate.refreshes", "outcome", "reused")).isEqualTo(1);
		assertThat(count("tollgate.logouts", "scope", "all", "outcome", "revoked")).isEqualTo(1);
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.RefreshTokenReuseDetected.class);
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.sessionId()).isEqualTo("s-1");
	}

	@Test
	void logoutWhenTokenUnknownThenCountedAsUnknownAndNoEvent() throws InterruptedException {
		this.events.logout(false, null, null, "203.0.113.7");
		assertThat(count("tollgate.logouts", "scope", "session", "outcome", "unknown")).isEqualTo(1);
		Thread.sleep(200);
		assertThat(this.published).isEmpty();
	}

	@Test
	void sessionsListedThenEventWithTheUserAndTheOperatorAsActor() {
		this.events.sessionsListed("op-7", "u-1");
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.SessionsListed.class);
		assertThat(event.action()).isEqualTo("sessions_listed");
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.actor()).isEqualTo("op-7");
	}

	@Test
	void sessionEndedWhenAnOperatorEndedItThenSessionRevokedByOperatorWithTheOperatorAsActor() {
		this.events.sessionEnded(new Session("s-1", "u-1", List.of()), AuthEvents.endedByOperator("op:7"));
		TollgateAuditEvent event = only();
		assertThat(event).isInstanceOf(TollgateAuditEvent.SessionRevoked.class);
		assertThat(event.userId()).isEqualTo("u-1");
		assertThat(event.sessionId()).isEqualTo("s-1");
		assertThat(event.reason()).isEqualTo("operator");
		assertThat(event.actor()).isEqualTo("op:7");
	}

	@Test
	void sessionEndedWhenItsUserEndedItThenNoOtherActor() {
		this.events.sessionEnded(new Session("s-1", "u-1", List.of()), "user");
		TollgateAuditEvent event = only();
		assertThat(event.reason()).isEqualTo("user");
		assertThat(event.actor()).isNull();
	}

	@Test
	void countersWhenStartedThenEverySeriesExistsAtZero() {
		for (RefreshOutcome outcome : RefreshOutcome.values()) {
			assertThat(count("tollgate.refreshes", "outcome", outcome.tag())).isZero();
		}
		assertThat(this.registry.get("tollgate.logouts").counters()).hasSize(4);
	}

}
