package dev.tollgate.backend.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TollgateBackendPropertiesTests {

	private static final Map<String, String> REQUIRED = Map.of("tollgate.backend.jwks-uri",
			"http://gateway:8080/.well-known/tollgate-assertion-keys.json", "tollgate.backend.audience",
			"orders-service");

	static TollgateBackendProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tollgate.backend",
				Bindable.of(TollgateBackendProperties.class));
	}

	private static Map<String, String> required(String... pairs) {
		Map<String, String> properties = new HashMap<>(REQUIRED);
		for (int i = 0; i < pairs.length; i += 2) {
			properties.put(pairs[i], pairs[i + 1]);
		}
		return properties;
	}

	@Test
	void bindWhenRequiredKeysSetThenDefaultsFollowTheGateway() {
		TollgateBackendProperties properties = bind(REQUIRED);
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.jwksLocation())
			.hasToString("http://gateway:8080/.well-known/tollgate-assertion-keys.json");
		assertThat(properties.audience()).isEqualTo("orders-service");
		assertThat(properties.issuer()).isEqualTo("tollgate");
		assertThat(properties.publicPaths()).isEmpty();
		assertThat(properties.headerName()).isEqualTo("X-Tollgate-Assertion");
		assertThat(properties.clockSkew()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void bindWhenPublicPathsListedThenKept() {
		assertThat(bind(required("tollgate.backend.public-paths", "/actuator/health/**,/public/*")).publicPaths())
			.isEqualTo(List.of("/actuator/health/**", "/public/*"));
	}

	@Test
	void bindWhenJwksUriOrAudienceMissingThenNamesTheKey() {
		assertFails(Map.of("tollgate.backend.audience", "orders-service"), "tollgate.backend.jwks-uri", "is not set");
		assertFails(Map.of("tollgate.backend.jwks-uri", "https://gateway/jwks"), "tollgate.backend.audience",
				"is not set");
		assertFails(required("tollgate.backend.audience", " "), "tollgate.backend.audience", "is not set");
	}

	@Test
	void bindWhenValuesCannotWorkThenNamesTheKey() {
		assertFails(required("tollgate.backend.jwks-uri", "gateway/jwks"), "tollgate.backend.jwks-uri",
				"is not an absolute http or https URI");
		assertFails(required("tollgate.backend.jwks-uri", "file:///etc/jwks.json"), "tollgate.backend.jwks-uri",
				"is not an absolute http or https URI");
		assertFails(required("tollgate.backend.jwks-uri", "http://gate way/jwks"), "tollgate.backend.jwks-uri",
				"is not a URI");
		assertFails(required("tollgate.backend.public-paths", "actuator/health"), "tollgate.backend.public-paths",
				"holds 'actuator/health', which is not a path pattern");
		assertFails(required("tollgate.backend.public-paths", "/a/**/b/{"), "tollgate.backend.public-paths",
				"holds '/a/**/b/{', which is not a path pattern");
		assertFails(required("tollgate.backend.header-name", "X Tollgate"), "tollgate.backend.header-name",
				"is not an HTTP header name");
		assertFails(required("tollgate.backend.clock-skew", "10m"), "tollgate.backend.clock-skew",
				"is PT10M, outside 0s..5m");
		assertFails(required("tollgate.backend.issuer", ""), "tollgate.backend.issuer", "is empty");
	}

	@Test
	void bindWhenDisabledThenNothingRequired() {
		assertThat(bind(Map.of("tollgate.backend.enabled", "false")).enabled()).isFalse();
	}

	private static void assertFails(Map<String, String> properties, String key, String problem) {
		BindException failure = catchThrowableOfType(BindException.class, () -> bind(properties));
		assertThat(failure).as(key).isNotNull();
		Throwable cause = failure;
		while (cause != null && !(cause instanceof TollgateBackendConfigurationException)) {
			cause = cause.getCause();
		}
		assertThat(cause).isInstanceOfSatisfying(TollgateBackendConfigurationException.class, (ex) -> {
			assertThat(ex.key()).isEqualTo(key);
			assertThat(ex.problem()).isEqualTo(problem);
		});
	}

}
