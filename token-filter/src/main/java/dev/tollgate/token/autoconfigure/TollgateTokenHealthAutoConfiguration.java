package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.health.SigningKeysHealthIndicator;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code tollgate} health component (which signing keys are loaded), when the
 * application has Spring Boot's health support and
 * {@code management.health.tollgate.enabled} is not {@code false}. Off with
 * {@code tollgate.enabled=false}; replaced by a bean of the application's own named
 * {@code tollgateHealthIndicator}.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class,
		beforeName = "org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration")
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnEnabledHealthIndicator("tollgate")
public class TollgateTokenHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "tollgateHealthIndicator")
	SigningKeysHealthIndicator tollgateHealthIndicator(SigningKeys keys) {
		return new SigningKeysHealthIndicator(keys);
	}

}
