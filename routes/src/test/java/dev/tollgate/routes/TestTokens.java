package dev.tollgate.routes;

import java.time.Clock;
import java.util.List;
import java.util.Map;

import dev.tollgate.token.autoconfigure.SigningKeysLoader;
import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.SessionRevocations;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningKeys;

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

	/** An access token of {@code userId} in the session {@code sessionId}. */
	public static String accessToken(String userId, String sessionId, String... roles) {
		return ISSUER.issue(userId, List.of(roles), sessionId).value();
	}

}
