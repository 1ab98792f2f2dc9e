package dev.tollgate.token.autoconfigure;

import java.time.Clock;

import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.SessionRevocations;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Access tokens: the {@link SigningKeys} read from {@code tollgate.signing}, the
 * {@link AccessTokenIssuer} that mints tokens, the {@link AccessTokenVerifier} and the
 * {@link AccessTokenAuthenticator} that read them, the {@link Clock} they share and the
 * {@link ProblemResponseWriter} every Tollgate error answer goes through. The edge check
 * that uses them is {@link TollgateEdgeAutoConfiguration}. Off with
 * {@code tollgate.enabled=false}; every bean can be replaced.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
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
		return SigningKeysLoader.load(properties.signing());
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenIssuer tollgateAccessTokenIssuer(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenIssuer(properties.accessTokenSettings(), keys, clock);
	}

	@Bean
	@ConditionalOnMissingBean
	AccessTokenVerifier tollgateAccessTokenVerifier(TokenProperties properties, SigningKeys keys, Clock clock) {
		return new AccessTokenVerifier(properties.accessTokenSettings(), properties.validatedTokenCacheSettings(), keys,
				clock);
	}

	@Bean
	@ConditionalOnMissingBean
	ProblemResponseWriter tollgateProblemResponseWriter(ObjectProvider<DpopSettings> dpop) {
		DpopSettings settings = dpop.getIfAvailable();
		boolean on = settings != null && settings.mode() != DpopMode.OFF;
		return new ProblemResponseWriter(REALM, on ? settings.challengeAlgorithms() : null);
	}

	/**
	 * Bearer and, with the DPoP beans of {@link TollgateDpopAutoConfiguration},
	 * DPoP-bound tokens; proofs sent to routes are remembered in this instance's memory,
	 * or with {@code tollgate.dpop.access-replay: shared} by the shared
	 * {@link DpopReplayGuard}.
	 */
	@Bean
	@ConditionalOnMissingBean
	AccessTokenAuthenticator tollgateAccessTokenAuthenticator(AccessTokenVerifier verifier,
			ObjectProvider<SessionRevocations> revocations, ObjectProvider<DpopSettings> dpop,
			ObjectProvider<DpopProofVerifier> proofs, ObjectProvider<DpopRequestUri> requestUri,
			ObjectProvider<DpopReplayGuard> sharedReplay, Clock clock) {
		SessionRevocations live = revocations.getIfAvailable(() -> SessionRevocations.NONE);
		DpopSettings settings = dpop.getIfAvailable();
		if (settings == null || settings.mode() == DpopMode.OFF) {
			return new AccessTokenAuthenticator(verifier, live);
		}
		DpopReplayGuard replay = settings.sharedAccessReplay() ? sharedReplay.getObject()
				: new LocalDpopReplayGuard(settings.replayTtl(), LocalDpopReplayGuard.DEFAULT_MAX_ENTRIES, clock);
		return new AccessTokenAuthenticator(verifier, live, settings, proofs.getObject(), requestUri.getObject(),
				replay);
	}

}
