package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * What Tollgate knows of a client: its address as {@code tollgate.client-address.*} says
 * to find it (login lock-outs, audit, rate-limit keys, refresh binding), the values the
 * refresh binding compares ({@code tollgate.refresh-token.binding.*}), and the warning
 * when Spring Boot handles forwarded headers that Tollgate was not told to trust. Every
 * bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RefreshTokenProperties.class)
public class TollgateClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ClientAddressResolver tollgateClientAddressResolver(TokenProperties properties) {
		return new ClientAddressResolver(properties.clientAddress().trustedProxies(),
				properties.clientAddress().forwardedHeader());
	}

	@Bean
	@ConditionalOnMissingBean
	ClientBindingResolver tollgateClientFactsResolver(RefreshTokenProperties refreshToken,
			ClientAddressResolver clients) {
		return new ClientBindingResolver(refreshToken.binding().settings(), clients);
	}

	@Bean
	@ConditionalOnMissingBean
	ForwardedHeadersWarning tollgateForwardedHeadersWarning(Environment environment, TokenProperties properties) {
		return new ForwardedHeadersWarning(environment, properties.clientAddress().trustedProxies());
	}

}
