package dev.tollgate.token.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.NonceMode;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * DPoP (RFC 9449) under {@code tollgate.dpop}: sender-constrained tokens, bound to a key
 * the client keeps. Validated when bound: a value that cannot work stops start-up with a
 * {@link TollgateConfigurationException} naming the key and the fix.
 *
 * @param mode Whether tokens can be bound to a client's key: off (a DPoP header is
 * ignored), optional (a client that sends a proof at login gets bound tokens) or required
 * (login without a proof is refused)
 * @param nonce Where proofs must carry a server nonce: off, token-endpoint (login and
 * refresh) or always (every request too)
 * @param algorithms JWS algorithms accepted for proofs, among ES256, EdDSA (Ed25519),
 * RS256 and PS256; never none or a MAC
 * @param proofMaxAge How old a proof's iat may be
 * @param clockSkew How far in the future a proof's iat may be, and slack on the past
 * @param nonceLifetime How long one server nonce window lasts; a nonce is accepted for
 * its window and the next
 * @param accessReplay Where proofs sent to routes are remembered against replay: instance
 * (in each instance's memory; a proof replayed to another instance within its iat window
 * is not seen) or shared (the token store, one round trip per request)
 */
@ConfigurationProperties("tollgate.dpop")
public record DpopProperties(@DefaultValue("optional") String mode, @DefaultValue("off") String nonce, @DefaultValue( {
		"ES256", "EdDSA", "RS256", "PS256" }) List<String> algorithms, @DefaultValue("60s") Duration proofMaxAge,
		@DefaultValue("5s") Duration clockSkew, @DefaultValue("5m") Duration nonceLifetime,
		@DefaultValue("instance") String accessReplay){

	private static final List<String> ALGORITHMS = List.of("ES256", "EdDSA", "RS256", "PS256");

	public DpopProperties {
		mode = choice("tollgate.dpop.mode", mode, List.of("off", "optional", "required"),
				"use off, optional (default) or required");
		nonce = choice("tollgate.dpop.nonce", nonce, List.of("off", "token-endpoint", "always"),
				"use off (default), token-endpoint or always");
		accessReplay = choice("tollgate.dpop.access-replay", accessReplay, List.of("instance", "shared"),
				"use instance (default) or shared");
		algorithms = (algorithms != null) ? List.copyOf(algorithms) : List.of();
		if (algorithms.isEmpty()) {
			throw new TollgateConfigurationException("tollgate.dpop.algorithms", "is empty",
					"list at least one of " + ALGORITHMS + ", e.g. ES256");
		}
		for (String algorithm : algorithms) {
			if (!ALGORITHMS.contains(algorithm)) {
				throw new TollgateConfigurationException("tollgate.dpop.algorithms",
						"holds '" + algorithm + "', which is not accepted for proofs",
						"list only " + ALGORITHMS + " (never none or a MAC such as HS256)");
			}
		}
		range("tollgate.dpop.proof-max-age", proofMaxAge, Duration.ofSeconds(1), Duration.ofMinutes(10),
				"a proof is made per request: keep it short, e.g. 60s");
		range("tollgate.dpop.clock-skew", clockSkew, Duration.ZERO, Duration.ofMinutes(1),
				"set a small leeway for clients' clocks, e.g. 5s");
		range("tollgate.dpop.nonce-lifetime", nonceLifetime, Duration.ofSeconds(10), Duration.ofHours(1),
				"e.g. 5m: clients fetch a new nonce once per window");
	}

	/** What the DPoP capability takes of these settings. */
	public DpopSettings settings() {
		return new DpopSettings(DpopMode.valueOf(constant(this.mode)), NonceMode.valueOf(constant(this.nonce)),
				this.algorithms, this.proofMaxAge, this.clockSkew, this.nonceLifetime,
				"shared".equals(this.accessReplay));
	}

	private static String constant(String value) {
		return value.toUpperCase(Locale.ROOT).replace('-', '_');
	}

	private static String choice(String key, String value, List<String> allowed, String fix) {
		String normal = (value != null) ? value.strip().toLowerCase(Locale.ROOT) : "";
		if (!allowed.contains(normal)) {
			throw new TollgateConfigurationException(key, "is '" + value + "'", fix);
		}
		return normal;
	}

	private static void range(String key, Duration value, Duration min, Duration max, String fix) {
		if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new TollgateConfigurationException(key,
					"is " + value + ", outside " + min.toSeconds() + "s.." + max.toSeconds() + "s", fix);
		}
	}

}
