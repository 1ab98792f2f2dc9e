package dev.tollgate.routes.autoconfigure;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ForwardedHeadersWarningTests {

	private static final String WARNING = "tollgate.client-address.trusted-proxies is 0";

	private static void start(int trustedProxies, String... keysAndValues) {
		MockEnvironment environment = new MockEnvironment();
		for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
			environment.setProperty(keysAndValues[i], keysAndValues[i + 1]);
		}
		new ForwardedHeadersWarning(environment, trustedProxies)
			.onApplicationEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0], null, Duration.ZERO));
	}

	private static int warnings(CapturedOutput output) {
		return output.getOut().split(WARNING, -1).length - 1;
	}

	@Test
	void startWhenKubernetesAndNoTrustedProxyThenOneWarningSayingWhatToSet(CapturedOutput output) {
		start(0, "spring.main.cloud-platform", "kubernetes");

		assertThat(warnings(output)).isEqualTo(1);
		assertThat(output.getOut()).contains("WARN")
			.contains("kubernetes")
			.contains("connection's peer")
			.contains("lock-outs")
			.contains("refresh binding")
			.contains("rate-limit keys")
			.contains("set tollgate.client-address.trusted-proxies to the number of proxies");
	}

	@Test
	void startWhenStrategyNativeOrFrameworkAndNoTrustedProxyThenWarned(CapturedOutput output) {
		start(0, "server.forward-headers-strategy", "native");
		start(0, "server.forward-headers-strategy", "FRAMEWORK");

		assertThat(warnings(output)).isEqualTo(2);
		assertThat(output.getOut()).contains("server.forward-headers-strategy=native")
			.contains("server.forward-headers-strategy=framework");
	}

	@Test
	void startWhenTrustedProxiesSetThenNoWarning(CapturedOutput output) {
		start(1, "spring.main.cloud-platform", "kubernetes");
		start(2, "server.forward-headers-strategy", "framework");

		assertThat(warnings(output)).isZero();
	}

	@Test
	void startWhenForwardedHandlingOffThenNoWarning(CapturedOutput output) {
		start(0);
		start(0, "spring.main.cloud-platform", "kubernetes", "server.forward-headers-strategy", "none");
		start(0, "spring.main.cloud-platform", "none");

		assertThat(warnings(output)).isZero();
	}

}
