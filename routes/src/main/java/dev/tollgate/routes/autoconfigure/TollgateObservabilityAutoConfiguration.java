package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthCounters;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.MicrometerAuthCounters;
import dev.tollgate.routes.observe.MicrometerStoreTimer;
import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How login, refresh, logout and the store report: the audit log ({@code tollgate.audit},
 * and an application event per audit event) and, when the application has a Micrometer
 * registry, {@code tollgate.logins}, {@code tollgate.refreshes},
 * {@code tollgate.logouts}, {@code tollgate.store.operations} and
 * {@code tollgate.sessions.revoked}. Every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
public class TollgateObservabilityAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AuditLog tollgateAuditLog(ApplicationEventPublisher publisher) {
		return new AuditLog(publisher);
	}

	@Bean
	@ConditionalOnMissingBean
	AuthEvents tollgateAuthEvents(AuditLog audit, ObjectProvider<AuthCounters> counters) {
		return new AuthEvents(audit, counters.getIfAvailable(() -> AuthCounters.NONE));
	}

	/**
	 * Login, refresh, logout and store metrics, when the application has a Micrometer
	 * registry.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class MetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		AuthCounters tollgateAuthCounters(MeterRegistry registry) {
			return new MicrometerAuthCounters(registry);
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBean(MeterRegistry.class)
		StoreTimer tollgateStoreTimer(MeterRegistry registry) {
			return new MicrometerStoreTimer(registry);
		}

		/**
		 * {@code tollgate.sessions.revoked}: the ended sessions this instance holds (see
		 * {@link EndedSessions}).
		 */
		@Bean
		@ConditionalOnMissingBean(name = "tollgateRevokedSessionsMetrics")
		MeterBinder tollgateRevokedSessionsMetrics(EndedSessions ended) {
			return (registry) -> Gauge.builder("tollgate.sessions.revoked", ended, EndedSessions::size)
				.description("Ended sessions held in memory until their access tokens have expired")
				.register(registry);
		}

	}

}
