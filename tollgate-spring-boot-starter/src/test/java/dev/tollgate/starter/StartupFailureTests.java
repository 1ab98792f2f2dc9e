package dev.tollgate.starter;

import java.util.Arrays;
import java.util.stream.Stream;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Configurations that must stop start-up, with one message naming the key and the fix.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTests {

	private static void start(String... properties) {
		String[] all = new String[properties.length + 3];
		all[0] = "--server.port=0";
		all[1] = "--user-service.uri=http://127.0.0.1:9";
		all[2] = "--api.uri=http://127.0.0.1:9";
		System.arraycopy(properties, 0, all, 3, properties.length);
		new SpringApplicationBuilder(PlainGatewayApplication.class).web(WebApplicationType.REACTIVE).run(all).close();
	}

	private static TollgateConfigurationException cause(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TollgateConfigurationException tollgate) {
				return tollgate;
			}
		}
		throw new AssertionError("no TollgateConfigurationException in " + ex);
	}

	@Test
	void redisStoreWhenNoKeyConfiguredThenStartupFailsNamingTheSigningKeys(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--tollgate.store=redis")).satisfies((ex) -> {
			assertThat(cause(ex).key()).isEqualTo("tollgate.signing.keys");
			assertThat(cause(ex).fix()).contains("tollgate.signing.ephemeral-keys-allowed=true");
		});
		assertThat(output.getOut() + output.getErr())
			.contains("Invalid Tollgate configuration: 'tollgate.signing.keys'")
			.doesNotContain("\tat org.springframework");
	}

	@ParameterizedTest
	@ValueSource(strings = { "filters[0]=RequireRoles=admin,ops team", "filters[0]=RequireRoles=",
			"filters[0].name=RequireRoles;filters[0].args.roles=admin,",
			"filters[0].name=RequireRoles;filters[0].args.roles[0]=admin;filters[0].args.roles[1]=ops team" })
	void requireRolesWhenARoleCouldNeverMatchThenStartupFailsNamingTheRoute(String filter) {
		String route = "--spring.cloud.gateway.server.webflux.routes[0].";
		String[] filterArgs = Arrays.stream(filter.split(";")).map((arg) -> route + arg).toArray(String[]::new);
		String[] args = Stream
			.concat(Stream.of(route + "id=bad", route + "uri=http://127.0.0.1:9", route + "predicates[0]=Path=/bad/**"),
					Arrays.stream(filterArgs))
			.toArray(String[]::new);
		assertThatException().isThrownBy(() -> start(args))
			.satisfies((ex) -> assertThat(cause(ex).key())
				.isEqualTo("spring.cloud.gateway.server.webflux.routes[0].filters[0]"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "on call" })
	void operatorRolesWhenEmptyOrARoleNoTokenCouldCarryThenStartupFailsNamingTheKey(String roles,
			CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--tollgate.store=memory", "--tollgate.operator.roles=" + roles))
			.satisfies((ex) -> assertThat(cause(ex).key()).isEqualTo("tollgate.operator.roles"));
		assertThat(output.getOut() + output.getErr())
			.contains("Invalid Tollgate configuration: 'tollgate.operator.roles'")
			.doesNotContain("\tat org.springframework");
	}

}
