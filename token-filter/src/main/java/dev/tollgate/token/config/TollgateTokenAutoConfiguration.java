package dev.tollgate.token.config;

import java.time.Clock;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Access tokens and the edge access check: an application that adds {@code token-filter} gets the
 * {@link AccessTokenGlobalFilter} on every gateway route. Every bean can be replaced.
 */
@AutoConfiguration
@EnableConfigurationProperties(TokenProperties.class)
public class TollgateTokenAutoConfiguration {

	/** The realm of every {@code WWW-Authenticate} challenge. */
	public static final String REALM = "tollgate";

	@Bean
	@ConditionalOnMissingBean
	Clock tollgateClock() {
		return Clock.systemUTC();
	}

	@Bean
	@ConditionalOnMissingBean
	SigningKeys tollgateSigningKeys(TokenProperties properties) {
		return SigningKeys.load(properties.signing());
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenIssuer tollgateAccessTokenIssuer(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenIssuer(properties, keys, clock);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenVerifier tollgateAccessTokenVerifier(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenVerifier(properties, keys, clock);
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemResponseWriter tollgateProblemResponseWriter() {
		return new ProblemResponseWriter(REALM);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenGlobalFilter tollgateAccessTokenGlobalFilter(AccessTokenVerifier verifier,
			ProblemResponseWriter writer) {
		return new AccessTokenGlobalFilter(verifier, writer);
	}

}
