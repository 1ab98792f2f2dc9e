package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.EnumSet;
import java.util.function.Consumer;

import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions.RefreshTrigger;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's Redis Cluster topology refresh, as Spring Boot builds Lettuce's options
 * with it: on when the operator configured none, the operator's
 * {@code spring.data.redis.lettuce.cluster.refresh.*} otherwise.
 */
class ClusterTopologyRefreshTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
		.withUserConfiguration(StarterCustomizer.class)
		// nothing listens there: Lettuce connects on first use, and the context never
		// uses it
		.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:1");

	@Configuration(proxyBeanMethods = false)
	static class StarterCustomizer {

		@Bean
		LettuceClientOptionsBuilderCustomizer tollgateRedisClusterTopologyRefresh(Environment environment) {
			return new RedisSessionStoreConfiguration().tollgateRedisClusterTopologyRefresh(environment);
		}

	}

	private void clusterOptions(ApplicationContextRunner runner, Consumer<ClusterClientOptions> assertions) {
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertions.accept((ClusterClientOptions) context.getBean(LettuceConnectionFactory.class)
				.getClientConfiguration()
				.getClientOptions()
				.orElseThrow());
		});
	}

	@Test
	void clusterOptionsWhenOperatorSetNoRefreshPropertyThenAdaptiveAndPeriodicRefreshOn() {
		clusterOptions(this.runner, (options) -> {
			ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
			assertThat(refresh.getAdaptiveRefreshTriggers()).containsExactlyInAnyOrder(RefreshTrigger.values());
			assertThat(refresh.getAdaptiveRefreshTimeout()).isEqualTo(Duration.ofSeconds(1));
			assertThat(refresh.isPeriodicRefreshEnabled()).isTrue();
			assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(10));
			assertThat(refresh.useDynamicRefreshSources()).isTrue();
			assertThat(refresh.isCloseStaleConnections()).isTrue();
		});
	}

	@Test
	void clusterOptionsWhenOperatorSetRefreshPeriodThenOnlyTheirSettingsApply() {
		clusterOptions(this.runner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.period=45s"),
				(options) -> {
					ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
					assertThat(refresh.getRefreshPeriod()).isEqualTo(Duration.ofSeconds(45));
					// adaptive stays as they left it: off
					assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
				});
	}

	@Test
	void clusterOptionsWhenOperatorTurnedAdaptiveOffThenRefreshStaysOff() {
		clusterOptions(this.runner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.adaptive=false"),
				(options) -> {
					ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
					assertThat(refresh.getAdaptiveRefreshTriggers()).isEmpty();
					assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
				});
	}

	@Test
	void clusterOptionsWhenOperatorSetDynamicSourcesInRelaxedFormThenRespected() {
		clusterOptions(
				this.runner.withPropertyValues("spring.data.redis.lettuce.cluster.refresh.dynamicRefreshSources=false"),
				(options) -> {
					ClusterTopologyRefreshOptions refresh = options.getTopologyRefreshOptions();
					assertThat(refresh.useDynamicRefreshSources()).isFalse();
					assertThat(refresh.isPeriodicRefreshEnabled()).isFalse();
				});
	}

	@Test
	void nodeFilterWhenClusterAgreesNodeFailedOrHasNoAddressThenLeftOut() {
		clusterOptions(this.runner, (options) -> {
			assertThat(options.getNodeFilter().test(node(NodeFlag.UPSTREAM))).isTrue();
			assertThat(options.getNodeFilter().test(node(NodeFlag.REPLICA))).isTrue();
			// one node's suspicion is not enough: a healthy master seen as pfail by one
			// source keeps its slots
			assertThat(options.getNodeFilter().test(node(NodeFlag.UPSTREAM, NodeFlag.EVENTUAL_FAIL))).isTrue();
			assertThat(options.getNodeFilter().test(node(NodeFlag.UPSTREAM, NodeFlag.FAIL))).isFalse();
			assertThat(options.getNodeFilter().test(node(NodeFlag.REPLICA, NodeFlag.NOADDR))).isFalse();
		});
	}

	@Test
	void clientOptionsWhenStandaloneRedisThenNotClusterOptions() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withUserConfiguration(StarterCustomizer.class)
			.run((context) -> assertThat(context.getBean(LettuceConnectionFactory.class)
				.getClientConfiguration()
				.getClientOptions()
				.orElseThrow()).isNotInstanceOf(ClusterClientOptions.class));
	}

	private static RedisClusterNode node(NodeFlag first, NodeFlag... more) {
		RedisClusterNode node = new RedisClusterNode();
		node.setFlags(EnumSet.of(first, more));
		return node;
	}

}
