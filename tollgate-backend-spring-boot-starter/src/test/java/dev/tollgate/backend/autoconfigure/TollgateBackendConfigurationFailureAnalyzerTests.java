package dev.tollgate.backend.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalyzer;

import static org.assertj.core.api.Assertions.assertThat;

class TollgateBackendConfigurationFailureAnalyzerTests {

	private final TollgateBackendConfigurationFailureAnalyzer analyzer = new TollgateBackendConfigurationFailureAnalyzer();

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
		assertThat(analyzers).contains(TollgateBackendConfigurationFailureAnalyzer.class.getName());
	}

}
