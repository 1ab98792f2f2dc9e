package dev.tollgate.routes.endpoint;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.tollgate.routes.autoconfigure.RefreshTokenProperties;
import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthCounters;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.SessionsListed;
import dev.tollgate.routes.observe.TollgateAuditEvent;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

class SessionsActuatorEndpointTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<Object> published = new CopyOnWriteArrayList<>();

	private final AuditLog audit = new AuditLog(this.published::add);

	private final AuthEvents events = new AuthEvents(this.audit, AuthCounters.NONE);

	private final RefreshTokenStore store = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
			new Binder(new MapConfigurationPropertySource(Map.of()))
				.bindOrCreate("tollgate.refresh-token", RefreshTokenProperties.class)
				.settings(),
			Clock.systemUTC(), StoreTimer.NONE, this.events);

	private final SessionsActuatorEndpoint endpoint = new SessionsActuatorEndpoint(this.store, this.events);

	@AfterEach
	void close() {
		this.audit.close();
	}

	private String login(String userId) {
		return this.store.create(userId, List.of("user")).block(TIMEOUT).session().id();
	}

	@Test
	void operationsWhenNoOperatorThenFailAndNothingChangesOrIsAudited() throws InterruptedException {
		login("alice");

		StepVerifier.create(this.endpoint.sessions("sessions", "alice")).verifyError(IllegalStateException.class);
		StepVerifier.create(this.endpoint.endSessions("sessions", "alice")).verifyError(IllegalStateException.class);
		StepVerifier.create(this.endpoint.endSessions("other", "alice")).verifyError(IllegalStateException.class);

		assertThat(this.store.sessions("alice").block(TIMEOUT)).hasSize(1);
		Thread.sleep(200);
		assertThat(this.published).isEmpty();
	}

	@Test
	void sessionsWhenOperatorThenListedAndAuditedWithTheOperator() {
		String session = login("alice");

		StepVerifier.create(this.endpoint.sessions("sessions", "alice").contextWrite(new Operator("op-7")::addTo))
			.assertNext(
					(body) -> assertThat(body.get("sessions")).asInstanceOf(InstanceOfAssertFactories.list(Map.class))
						.extracting((entry) -> entry.get("id"))
						.containsExactly(session))
			.verifyComplete();

		await().atMost(TIMEOUT).until(() -> this.published.size() == 1);
		assertThat(this.published).singleElement()
			.isInstanceOf(SessionsListed.class)
			.extracting("userId", "actor")
			.containsExactly("alice", "op-7");
	}

	@Test
	void endSessionsWhenOperatorThenAllEndedAndEachAuditedWithTheOperator() {
		String phone = login("alice");
		String laptop = login("alice");

		StepVerifier.create(this.endpoint.endSessions("sessions", "alice").contextWrite(new Operator("op-7")::addTo))
			.verifyComplete();

		assertThat(this.store.sessions("alice").block(TIMEOUT)).isEmpty();
		await().atMost(TIMEOUT).until(() -> this.published.size() == 2);
		assertThat(this.published).map(TollgateAuditEvent.class::cast)
			.extracting(TollgateAuditEvent::action, TollgateAuditEvent::userId, TollgateAuditEvent::sessionId,
					TollgateAuditEvent::reason, TollgateAuditEvent::actor)
			.containsExactlyInAnyOrder(tuple("session_revoked", "alice", phone, "operator", "op-7"),
					tuple("session_revoked", "alice", laptop, "operator", "op-7"));
	}

}
