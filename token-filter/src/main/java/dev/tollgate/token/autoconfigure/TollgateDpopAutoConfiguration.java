package dev.tollgate.token.autoconfigure;

import java.time.Clock;

import dev.tollgate.token.dpop.DpopNonces;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * DPoP (RFC 9449, {@code tollgate.dpop.*}): the {@link DpopSettings}, the
 * {@link DpopNonces} derived from the signing key, the {@link DpopProofVerifier}, the
 * {@link DpopRequestUri} that reads forwarded headers as {@code tollgate.client-address}
 * trusts them, and the {@link DpopReplayGuard} of the token endpoint: in memory here
 * ({@link LocalDpopReplayGuard}), replaced by a shared one where the token store is
 * Redis. The access check uses them through the {@code AccessTokenAuthenticator}. Off
 * with {@code tollgate.enabled=false}; every bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = TollgateEdgeAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@EnableConfigurationProperties(DpopProperties.class)
public class TollgateDpopAutoConfiguration {

	/** The label of the secret nonces are derived with. */
	static final String NONCE_SECRET_LABEL = "dpop-nonce";

	@Bean
	@ConditionalOnMissingBean
	DpopSettings tollgateDpopSettings(DpopProperties properties) {
		return properties.settings();
	}

	@Bean
	@ConditionalOnMissingBean
	DpopNonces tollgateDpopNonces(DpopSettings settings, SigningKeys keys, Clock clock) {
		return new DpopNonces(keys.derivedSecret(NONCE_SECRET_LABEL), settings.nonceLifetime(), clock);
	}

	@Bean
	@ConditionalOnMissingBean
	DpopProofVerifier tollgateDpopProofVerifier(DpopSettings settings, DpopNonces nonces, Clock clock) {
		return new DpopProofVerifier(settings, nonces, clock);
	}

	@Bean
	@ConditionalOnMissingBean
	DpopRequestUri tollgateDpopRequestUri(TokenProperties properties) {
		return new DpopRequestUri(properties.clientAddress().trustedProxies(),
				properties.clientAddress().forwardedHeader());
	}

	@Bean
	@ConditionalOnMissingBean
	DpopReplayGuard tollgateDpopReplayGuard(DpopSettings settings, Clock clock) {
		return new LocalDpopReplayGuard(settings.replayTtl(), LocalDpopReplayGuard.DEFAULT_MAX_ENTRIES, clock);
	}

}
