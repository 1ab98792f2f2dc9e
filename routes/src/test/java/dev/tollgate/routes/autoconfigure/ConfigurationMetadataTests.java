package dev.tollgate.routes.autoconfigure;

import java.util.Set;

import dev.tollgate.test.ConfigurationMetadataAssertions;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationMetadataTests {

	@Test
	void metadataWhenGeneratedThenEveryKeyDescribedWithDefaultAndClosedSetsHinted() {
		assertThat(ConfigurationMetadataAssertions.assertDocumented(StoreProperties.class,
				Set.of("tollgate.refresh-token.cookie.allowed-origins"), Set.of("tollgate.store")))
			.contains("tollgate.store", "tollgate.endpoints.refresh-path", "tollgate.login.timeout",
					"tollgate.redis.timeout", "tollgate.refresh-token.reuse-grace", "tollgate.operator.roles");
	}

}
