package dev.tollgate.token.health;

import dev.tollgate.token.jwt.SigningKeys;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code tollgate} health component: the signing keys are loaded (they are, or the
 * application would not have started) and which: the algorithm, the key ids (the signing
 * key first) and whether the key is ephemeral. Never key material.
 */
public final class SigningKeysHealthIndicator implements HealthIndicator {

	private final Health health;

	public SigningKeysHealthIndicator(SigningKeys keys) {
		this.health = Health.up()
			.withDetail("algorithm", keys.algorithm().id())
			.withDetail("keyIds", keys.keyIds())
			.withDetail("signingKeyId", (keys.signingKeyId() != null) ? keys.signingKeyId() : "(shared secret)")
			.withDetail("ephemeral", keys.isEphemeral())
			.build();
	}

	@Override
	public Health health() {
		return this.health;
	}

}
