package dev.tollgate.routes;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.tollgate.routes.dpop.TokenEndpointProof;
import dev.tollgate.token.autoconfigure.SigningKeysLoader;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopNonces;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.SessionRevocations;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.VerifiedAccessToken;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * token-filter's parts as the routes' unit tests use them, made in one place: an
 * ephemeral EdDSA key, the issuer and the verifier with default settings, and the problem
 * writer. Time is the system clock, as for the stores.
 */
public final class TestTokens {

	public static final Clock CLOCK = Clock.systemUTC();

	public static final TokenProperties PROPERTIES = new Binder(
			new MapConfigurationPropertySource(Map.of("tollgate.signing.algorithm", "EdDSA")))
		.bindOrCreate("tollgate", TokenProperties.class);

	public static final SigningKeys KEYS = SigningKeysLoader.load(PROPERTIES.signing());

	public static final AccessTokenIssuer ISSUER = new AccessTokenIssuer(PROPERTIES.accessTokenSettings(), KEYS, CLOCK);

	public static final ProblemResponseWriter WRITER = new ProblemResponseWriter("tollgate");

	private TestTokens() {
	}

	/** The access check, refusing the tokens of the sessions {@code ended} names. */
	public static AccessTokenAuthenticator authenticator(SessionRevocations ended) {
		return new AccessTokenAuthenticator(new AccessTokenVerifier(PROPERTIES.accessTokenSettings(),
				PROPERTIES.validatedTokenCacheSettings(), KEYS, CLOCK), ended);
	}

	/**
	 * {@code tollgate.dpop.*} with {@code mode} and {@code nonce}, the other settings at
	 * their defaults.
	 */
	public static DpopSettings dpop(DpopMode mode, NonceMode nonce) {
		DpopSettings defaults = DpopSettings.DEFAULTS;
		return new DpopSettings(mode, nonce, defaults.algorithms(), defaults.proofMaxAge(), defaults.clockSkew(),
				defaults.nonceLifetime(), false);
	}

	/** The server nonces every instance with {@link #KEYS} derives. */
	public static DpopNonces nonces(DpopSettings settings) {
		return new DpopNonces(KEYS.derivedSecret("dpop-nonce"), settings.nonceLifetime(), CLOCK);
	}

	/** The DPoP check of login and refresh, with {@code replay} as its guard. */
	public static TokenEndpointProof tokenEndpointProof(DpopSettings settings, DpopReplayGuard replay) {
		return new TokenEndpointProof(settings, new DpopProofVerifier(settings, nonces(settings), CLOCK),
				new DpopRequestUri(0, "auto"), replay);
	}

	/** A replay guard in memory, as token-filter makes it. */
	public static DpopReplayGuard localReplayGuard() {
		return new LocalDpopReplayGuard(DpopSettings.DEFAULTS.replayTtl());
	}

	/**
	 * The access check with DPoP ({@code mode: optional}, no nonces), refusing the tokens
	 * of the sessions {@code ended} names.
	 */
	public static AccessTokenAuthenticator dpopAuthenticator(SessionRevocations ended) {
		return dpopAuthenticator(ended, NonceMode.OFF);
	}

	/**
	 * The access check with DPoP ({@code mode: optional}) and server nonces as
	 * {@code nonce} says, refusing the tokens of the sessions {@code ended} names.
	 */
	public static AccessTokenAuthenticator dpopAuthenticator(SessionRevocations ended, NonceMode nonce) {
		DpopSettings settings = dpop(DpopMode.OPTIONAL, nonce);
		return new AccessTokenAuthenticator(
				new AccessTokenVerifier(PROPERTIES.accessTokenSettings(), PROPERTIES.validatedTokenCacheSettings(),
						KEYS, CLOCK),
				ended, settings, new DpopProofVerifier(settings, nonces(settings), CLOCK),
				new DpopRequestUri(0, "auto"), localReplayGuard());
	}

	/**
	 * An access token of {@code userId} in the session {@code sessionId}, bound to the
	 * key {@code keyThumbprint} ({@code cnf.jkt}).
	 */
	public static String boundAccessToken(String userId, String sessionId, String keyThumbprint, String... roles) {
		return ISSUER.issue(userId, List.of(roles), sessionId, keyThumbprint).value();
	}

	/** The verified claims of {@code accessToken}. */
	public static VerifiedAccessToken verify(String accessToken) {
		return new AccessTokenVerifier(PROPERTIES.accessTokenSettings(), PROPERTIES.validatedTokenCacheSettings(), KEYS,
				CLOCK)
			.verify(accessToken);
	}

	/** An access token of {@code userId} in the session {@code sessionId}. */
	public static String accessToken(String userId, String sessionId, String... roles) {
		return ISSUER.issue(userId, List.of(roles), sessionId).value();
	}

}
