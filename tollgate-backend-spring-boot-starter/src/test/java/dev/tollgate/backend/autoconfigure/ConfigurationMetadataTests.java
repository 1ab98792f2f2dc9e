package dev.tollgate.backend.autoconfigure;

import java.util.Set;

import dev.tollgate.test.ConfigurationMetadataAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

	@Test
	void metadataWhenGeneratedThenEveryBackendKeyDescribedWithDefault() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(TollgateBackendProperties.class,
				Set.of("tollgate.backend.jwks-uri", "tollgate.backend.audience"), Set.of()))
			.containsExactlyInAnyOrder("tollgate.backend.enabled", "tollgate.backend.jwks-uri",
					"tollgate.backend.audience", "tollgate.backend.issuer", "tollgate.backend.public-paths",
					"tollgate.backend.header-name", "tollgate.backend.clock-skew");
	}

}
