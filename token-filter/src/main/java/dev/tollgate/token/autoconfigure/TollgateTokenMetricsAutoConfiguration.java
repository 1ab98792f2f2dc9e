package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.observe.AccessObserver;
import dev.tollgate.token.observe.MicrometerAccessObserver;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Access-check and role-check metrics ({@code tollgate.access.*}), when the application
 * has Micrometer and a registry: the {@link AccessObserver} that the access check and
 * {@code RequireRoles} report to. Without it they report to {@link AccessObserver#NONE}.
 * Off with {@code tollgate.enabled=false}; the observer can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class,
		afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnClass(MeterRegistry.class)
public class TollgateTokenMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(MeterRegistry.class)
	AccessObserver tollgateAccessObserver(MeterRegistry registry) {
		return new MicrometerAccessObserver(registry);
	}

}
