package dev.tollgate.token.autoconfigure;

import java.util.Set;

import dev.tollgate.test.ConfigurationMetadataAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

	/** Keys without a default by nature: a secret, and lists of keys. */
	private static final Set<String> WITHOUT_DEFAULT = Set.of("tollgate.signing.secret", "tollgate.signing.keys",
			"tollgate.assertion.keys");

	@Test
	void metadataWhenGeneratedThenEveryKeyDescribedWithDefaultAndClosedSetsHinted() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(TokenProperties.class, WITHOUT_DEFAULT,
				Set.of("tollgate.signing.algorithm", "tollgate.client-address.forwarded-header")))
			.contains("tollgate.enabled", "tollgate.signing.algorithm", "tollgate.signing.keys[0].private-key",
					"tollgate.signing.keys[1].public-key", "tollgate.access-token.cache.max-size",
					"tollgate.client-address.trusted-proxies", "tollgate.client-address.forwarded-header",
					"tollgate.signing.ephemeral-keys-allowed");
	}

	@Test
	void metadataWhenGeneratedThenEveryAssertionKeyDescribedWithDefaultAndTheAlgorithmHinted() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(AssertionProperties.class, WITHOUT_DEFAULT,
				Set.of("tollgate.assertion.algorithm")))
			.contains("tollgate.assertion.enabled", "tollgate.assertion.header-name", "tollgate.assertion.ttl",
					"tollgate.assertion.algorithm", "tollgate.assertion.keys[0].private-key",
					"tollgate.assertion.forward-access-token", "tollgate.assertion.cache.max-size");
	}

	@Test
	void metadataWhenGeneratedThenEveryDpopKeyDescribedWithDefaultAndClosedSetsHinted() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(DpopProperties.class, WITHOUT_DEFAULT,
				Set.of("tollgate.dpop.mode", "tollgate.dpop.nonce", "tollgate.dpop.algorithms",
						"tollgate.dpop.access-replay")))
			.contains("tollgate.dpop.mode", "tollgate.dpop.nonce", "tollgate.dpop.algorithms",
					"tollgate.dpop.proof-max-age", "tollgate.dpop.clock-skew", "tollgate.dpop.nonce-lifetime",
					"tollgate.dpop.access-replay");
	}

}
