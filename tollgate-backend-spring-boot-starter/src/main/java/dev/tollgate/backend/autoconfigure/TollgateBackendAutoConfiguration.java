package dev.tollgate.backend.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import dev.tollgate.backend.assertion.AssertionSettings;
import dev.tollgate.backend.assertion.AssertionVerifier;
import dev.tollgate.backend.jwks.JwkSetCache;
import dev.tollgate.backend.jwks.JwkSetFetcher;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The verifying side of Tollgate's signed identity, whatever the web stack: the gateway's
 * JWK Set, fetched and cached, and the assertion verifier.
 * {@link TollgateBackendServletAutoConfiguration} and
 * {@link TollgateBackendReactiveAutoConfiguration} put it into Spring Security. Time
 * comes from the application's {@link Clock} bean when it has exactly one, else from the
 * system clock.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "tollgate.backend.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TollgateBackendProperties.class)
public class TollgateBackendAutoConfiguration {

	/** Deadline to connect to the JWK Set's host. */
	static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);

	/** Deadline for the JWK Set's answer once connected. */
	static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	@Bean
	@ConditionalOnMissingBean
	JwkSetCache tollgateJwkSetCache(TollgateBackendProperties properties, ObjectProvider<Clock> clock) {
		JwkSetFetcher fetcher = new JwkSetFetcher(properties.jwksLocation(), CONNECT_TIMEOUT, REQUEST_TIMEOUT);
		return new JwkSetCache(fetcher, clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	AssertionVerifier tollgateAssertionVerifier(TollgateBackendProperties properties, JwkSetCache keys,
			ObjectProvider<Clock> clock) {
		AssertionSettings settings = new AssertionSettings(properties.issuer(), properties.audience(),
				properties.clockSkew());
		return new AssertionVerifier(settings, keys, clock.getIfUnique(Clock::systemUTC));
	}

}
