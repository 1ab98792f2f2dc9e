package dev.tollgate.token.autoconfigure;

import java.util.Set;

import dev.tollgate.test.ConfigurationMetadataAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

	@Test
	void metadataWhenGeneratedThenEveryKeyDescribedWithDefaultAndClosedSetsHinted() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(TokenProperties.class,
				Set.of("tollgate.signing.secret", "tollgate.signing.keys"),
				Set.of("tollgate.signing.algorithm", "tollgate.client-address.forwarded-header")))
			.contains("tollgate.enabled", "tollgate.signing.algorithm", "tollgate.signing.keys[0].private-key",
					"tollgate.signing.keys[1].public-key", "tollgate.access-token.cache.max-size",
					"tollgate.client-address.trusted-proxies", "tollgate.client-address.forwarded-header",
					"tollgate.signing.ephemeral-keys-allowed");
	}

}
