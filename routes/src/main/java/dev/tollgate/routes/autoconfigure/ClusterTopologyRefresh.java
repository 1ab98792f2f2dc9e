package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.core.env.Environment;

/**
 * Makes Lettuce follow a Redis Cluster's topology, so that a fail-over needs no restart
 * of the gateway.
 * <p>
 * Lettuce reads the topology once, at connect: unless told otherwise it never learns that
 * a replica took over from a master that died. The dead master sends no {@code MOVED}
 * redirect to follow, so every command for its slots waits on a connection that never
 * comes back and times out, for as long as the gateway runs. Spring Boot leaves Lettuce's
 * refresh off unless {@code spring.data.redis.lettuce.cluster.refresh.*} is set. When
 * none of those properties is set, this turns on:
 * <ul>
 * <li>every adaptive refresh trigger (a redirect, a slot no node serves, a node
 * reconnecting again and again), at most {@value #ADAPTIVE_INTERVAL_SECONDS} s apart
 * rather than Lettuce's 30 s, because the first trigger fires within a second of the
 * crash, before the cluster has promoted the replica, and the refresh that sees the
 * promotion must not wait half a minute;</li>
 * <li>a refresh every {@value #PERIOD_SECONDS} s, for what no trigger reports (such as a
 * dead master this instance had no connection to yet);</li>
 * <li>topology read from every known node ({@code dynamic-refresh-sources}, Spring Boot's
 * default).</li>
 * </ul>
 * When the operator sets any of those properties, Spring Boot's options are left exactly
 * as configured.
 * <p>
 * Whatever the properties, nodes the cluster agrees have failed ({@code fail}) or that
 * have no address are left out of Lettuce's view: otherwise the dead master, which stays
 * listed until it returns or is forgotten, would keep a connection reconnecting forever
 * and, through it, a topology refresh every few seconds.
 */
final class ClusterTopologyRefresh implements LettuceClientOptionsBuilderCustomizer {

	/** Where Spring Boot reads the operator's refresh settings. */
	static final String PROPERTIES = "spring.data.redis.lettuce.cluster.refresh";

	static final long ADAPTIVE_INTERVAL_SECONDS = 1;

	static final long PERIOD_SECONDS = 10;

	/** The refresh applied when the operator configured none. */
	static final ClusterTopologyRefreshOptions DEFAULTS = ClusterTopologyRefreshOptions.builder()
		.enableAllAdaptiveRefreshTriggers()
		.adaptiveRefreshTriggersTimeout(Duration.ofSeconds(ADAPTIVE_INTERVAL_SECONDS))
		.enablePeriodicRefresh(Duration.ofSeconds(PERIOD_SECONDS))
		.dynamicRefreshSources(true)
		.closeStaleConnections(true)
		.build();

	private final boolean configuredByOperator;

	ClusterTopologyRefresh(Environment environment) {
		this.configuredByOperator = Binder.get(environment)
			.bind(PROPERTIES, Bindable.mapOf(String.class, String.class))
			.map((Map<String, String> set) -> !set.isEmpty())
			.orElse(false);
	}

	@Override
	public void customize(ClientOptions.Builder builder) {
		// Spring Boot hands over a ClusterClientOptions.Builder only for a cluster
		if (builder instanceof ClusterClientOptions.Builder cluster) {
			cluster.nodeFilter(ClusterTopologyRefresh::isUsable);
			if (!this.configuredByOperator) {
				cluster.topologyRefreshOptions(DEFAULTS);
			}
		}
	}

	/** Not failed by the cluster's agreement, and reachable at some address. */
	static boolean isUsable(RedisClusterNode node) {
		return !node.is(NodeFlag.FAIL) && !node.is(NodeFlag.NOADDR);
	}

}
