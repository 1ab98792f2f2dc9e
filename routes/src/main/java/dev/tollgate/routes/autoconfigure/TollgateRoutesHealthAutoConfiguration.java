package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.health.EndedSessionsReadinessIndicator;
import dev.tollgate.routes.health.StoreHealthIndicator;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.redis.SessionEndSubscriber;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.application.ReadinessStateHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health, when the application has Spring Boot's health support: the
 * {@code tollgateStore} component (off with
 * {@code management.health.tollgatestore.enabled=false}), and a readiness that also waits
 * for the ended sessions of the Redis store to load once. Before Spring Boot's
 * availability health, whose readiness indicator it replaces.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class, beforeName = {
		"org.springframework.boot.health.autoconfigure.application.AvailabilityHealthContributorAutoConfiguration",
		"org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration" })
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnClass({ ReactiveHealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@EnableConfigurationProperties(StoreProperties.class)
public class TollgateRoutesHealthAutoConfiguration {

	/**
	 * Whether the refresh-token store answers: a component of its own, not part of
	 * readiness unless put there.
	 */
	@Bean
	@ConditionalOnMissingBean(name = "tollgateStoreHealthIndicator")
	@ConditionalOnEnabledHealthIndicator("tollgatestore")
	StoreHealthIndicator tollgateStoreHealthIndicator(RefreshTokenStore store, StoreProperties properties) {
		return new StoreHealthIndicator(store, properties.store());
	}

	/**
	 * Readiness that also waits for the ended sessions of the Redis store to load once
	 * (see {@link EndedSessionsReadinessIndicator}): it takes the place of Spring Boot's
	 * {@code readinessStateHealthIndicator}, under the same name and conditions, so the
	 * readiness probe group needs no change. A bean of that name of the application's own
	 * wins.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReadinessStateHealthIndicator.class)
	static class ReadinessConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "readinessStateHealthIndicator")
		@ConditionalOnBooleanProperty(name = "management.health.readinessstate.enabled", matchIfMissing = true)
		EndedSessionsReadinessIndicator readinessStateHealthIndicator(ApplicationAvailability availability,
				ObjectProvider<SessionEndSubscriber> subscriber) {
			SessionEndSubscriber loading = subscriber.getIfAvailable();
			return new EndedSessionsReadinessIndicator(availability,
					(loading != null) ? loading::hasLoaded : () -> true);
		}

	}

}
