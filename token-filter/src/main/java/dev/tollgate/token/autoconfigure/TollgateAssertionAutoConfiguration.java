package dev.tollgate.token.autoconfigure;

import java.time.Clock;

import dev.tollgate.token.filter.UpstreamAssertions;
import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The signed identity for backends ({@code tollgate.assertion.*}): the
 * {@link AssertionIssuer} with its own keys and the {@link UpstreamAssertions} that the
 * identity headers filter applies to every proxied request. On by default; off with
 * {@code tollgate.assertion.enabled=false} or {@code tollgate.enabled=false}. Every bean
 * can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = TollgateEdgeAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "tollgate.assertion.enabled", matchIfMissing = true)
@EnableConfigurationProperties(AssertionProperties.class)
public class TollgateAssertionAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	AssertionIssuer tollgateAssertionIssuer(AssertionProperties assertions, TokenProperties tokens,
			SigningKeys accessTokenKeys, Clock clock) {
		return new AssertionIssuer(AssertionKeysLoader.load(assertions, accessTokenKeys), tokens.issuer(),
				assertions.ttl(), clock);
	}

	@Bean
	@ConditionalOnMissingBean
	UpstreamAssertions tollgateUpstreamAssertions(AssertionIssuer issuer, AssertionProperties assertions, Clock clock) {
		return new UpstreamAssertions(issuer, assertions.headerName(), assertions.forwardAccessToken(),
				assertions.cache().maxSize(), clock);
	}

}
