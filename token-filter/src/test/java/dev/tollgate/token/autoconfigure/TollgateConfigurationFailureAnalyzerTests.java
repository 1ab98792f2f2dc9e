package dev.tollgate.token.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class TollgateConfigurationFailureAnalyzerTests {

	private final TollgateConfigurationFailureAnalyzer analyzer = new TollgateConfigurationFailureAnalyzer();

	@Test
	void analyzeWhenThrownDirectlyThenNamesKeyProblemAndFix() {
		FailureAnalysis analysis = this.analyzer.analyze(new TollgateConfigurationException("tollgate.access-token.ttl",
				"is PT0S, must be positive", "use a positive duration such as 15m"));
		assertThat(analysis.getDescription())
			.isEqualTo("Invalid Tollgate configuration: 'tollgate.access-token.ttl' is PT0S, must be positive.");
		assertThat(analysis.getAction())
			.isEqualTo("Fix 'tollgate.access-token.ttl': use a positive duration such as 15m.");
	}

	@Test
	void analyzeWhenNestedInBindingAndBeanCreationFailureThenFindsIt() {
		String secret = Base64.getEncoder().encodeToString(new byte[16]);
		BindException binding = catchThrowableOfType(BindException.class, () -> TokenPropertiesTests
			.bind(Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret", secret)));
		Throwable startup = new BeanCreationException("tollgateSigningKeys",
				"Error creating bean with name 'tollgateSigningKeys'", new IllegalStateException("wrapped", binding));
		FailureAnalysis analysis = this.analyzer.analyze(startup);
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).isEqualTo(
				"Invalid Tollgate configuration: 'tollgate.signing.secret' is 128 bits; HS256 needs at least 256.");
		assertThat(analysis.getAction())
			.isEqualTo("Fix 'tollgate.signing.secret': generate one with 'openssl rand -base64 32'.");
		assertThat(analysis.getCause()).isInstanceOf(TollgateConfigurationException.class);
		assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(secret);
	}

	@Test
	void analyzeWhenNoTollgateCauseThenNoAnalysis() {
		assertThat(this.analyzer.analyze(new BeanCreationException("x", new IllegalStateException("other")))).isNull();
	}

	@Test
	void springFactoriesWhenLoadedThenRegistersAnalyzer() throws IOException {
		List<String> analyzers = new ArrayList<>();
		for (URL url : Collections.list(getClass().getClassLoader().getResources("META-INF/spring.factories"))) {
			Properties properties = new Properties();
			try (InputStream in = url.openStream()) {
				properties.load(in);
			}
			analyzers.addAll(List.of(properties.getProperty(FailureAnalyzer.class.getName(), "").split("\\s*,\\s*")));
		}
		assertThat(analyzers).contains(TollgateConfigurationFailureAnalyzer.class.getName());
	}

}
