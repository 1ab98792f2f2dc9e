package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthCounters;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.MicrometerAuthCounters;
import dev.tollgate.routes.observe.MicrometerStoreTimer;
import dev.tollgate.routes.session.StoreTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateObservabilityAutoConfiguration}: the audit log, and the metrics when
 * there is a registry.
 */
class TollgateObservabilityAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenNoMeterRegistryThenAuditOnlyAndNoCounters() {
		this.runner.run((context) -> {
			assertThat(context).getBean("tollgateAuditLog").isInstanceOf(AuditLog.class);
			assertThat(context).getBean("tollgateAuthEvents").isInstanceOf(AuthEvents.class);
			assertThat(context).doesNotHaveBean(AuthCounters.class);
			assertThat(context).doesNotHaveBean(StoreTimer.class);
		});
	}

	@Test
	void beansWhenMeterRegistryThenCountersTimerAndEndedSessionsGauge() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).getBean("tollgateAuthCounters").isInstanceOf(MicrometerAuthCounters.class);
			assertThat(context).getBean("tollgateStoreTimer").isInstanceOf(MicrometerStoreTimer.class);
			MeterBinder gauge = context.getBean("tollgateRevokedSessionsMetrics", MeterBinder.class);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			gauge.bindTo(registry);
			assertThat(registry.get("tollgate.sessions.revoked").gauge().value()).isZero();
		});
	}

	@Test
	void auditLogWhenTheApplicationHasItsOwnThenThatOneFeedsTheEvents() {
		this.runner.withBean("ownAudit", AuditLog.class, () -> new AuditLog((event) -> {
		})).run((context) -> {
			assertThat(context).getBeanNames(AuditLog.class).containsExactly("ownAudit");
			assertThat(context).hasSingleBean(AuthEvents.class);
		});
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(AuditLog.class);
				assertThat(context).doesNotHaveBean(AuthEvents.class);
				assertThat(context).doesNotHaveBean(AuthCounters.class);
				assertThat(context).doesNotHaveBean("tollgateRevokedSessionsMetrics");
			});
	}

}
