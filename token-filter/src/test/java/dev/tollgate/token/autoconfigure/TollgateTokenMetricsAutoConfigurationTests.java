package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.observe.AccessObserver;
import dev.tollgate.token.observe.MicrometerAccessObserver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access-check metrics: counted when there is a registry, not otherwise, and never when
 * Tollgate is off.
 */
class TollgateTokenMetricsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateTokenAutoConfiguration.class,
				TollgateEdgeAutoConfiguration.class, TollgateTokenMetricsAutoConfiguration.class));

	@Test
	void contextWhenRegistryThenAccessChecksAreCounted() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).getBean("tollgateAccessObserver").isInstanceOf(MicrometerAccessObserver.class);
			MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api"));
			context.getBean(AccessTokenGlobalFilter.class).filter(exchange, (filtered) -> Mono.empty()).block();
			assertThat(context.getBean(MeterRegistry.class)
				.get("tollgate.access.checks")
				.tag("outcome", "rejected")
				.tag("reason", "missing")
				.counter()
				.count()).isEqualTo(1);
		});
	}

	@Test
	void contextWhenNoRegistryThenNoObserver() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(AccessObserver.class);
			assertThat(context).hasSingleBean(AccessTokenGlobalFilter.class);
		});
	}

	@Test
	void contextWhenNoMicrometerThenNoObserver() {
		this.runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AccessObserver.class);
		});
	}

	@Test
	void contextWhenApplicationHasItsOwnObserverThenItWins() {
		AccessObserver own = new AccessObserver() {
		};
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withBean("myObserver", AccessObserver.class, () -> own)
			.run((context) -> {
				assertThat(context).hasSingleBean(AccessObserver.class);
				assertThat(context.getBean(AccessObserver.class)).isSameAs(own);
			});
	}

	@Test
	void contextWhenTollgateDisabledThenNoObserver() {
		this.runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AccessObserver.class));
	}

}
