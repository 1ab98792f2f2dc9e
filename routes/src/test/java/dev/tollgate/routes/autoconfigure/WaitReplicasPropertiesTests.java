package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.Map;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.redis.ReplicatedWrites;
import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@code tollgate.redis.wait-replicas}: bound, validated, and how long a {@code WAIT} may
 * take.
 */
class WaitReplicasPropertiesTests {

	private static RedisStoreProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("tollgate.redis",
				RedisStoreProperties.class);
	}

	@Test
	void bindWhenNothingSetThenNoReplicasAwaited() {
		RedisStoreProperties redis = bind(Map.of());
		assertThat(redis.waitReplicas()).isZero();
		assertThat(redis.waitTimeout()).isEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void bindWhenSetThenBoundAndWaitIsHalfTheTimeout() {
		RedisStoreProperties redis = bind(
				Map.of("tollgate.redis.wait-replicas", "2", "tollgate.redis.timeout", "600ms"));
		assertThat(redis.waitReplicas()).isEqualTo(2);
		assertThat(redis.waitTimeout()).isEqualTo(Duration.ofMillis(300));
	}

	@Test
	void bindWhenNegativeThenRefusedNamingTheKey() {
		BindException ex = catchThrowableOfType(BindException.class,
				() -> bind(Map.of("tollgate.redis.wait-replicas", "-1")));
		assertThat(ex).as("binding must fail").isNotNull();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		assertThat(cause).isInstanceOf(TollgateConfigurationException.class);
		assertThat(((TollgateConfigurationException) cause).key()).isEqualTo("tollgate.redis.wait-replicas");
		assertThat(((TollgateConfigurationException) cause).problem()).isEqualTo("is -1");
	}

	@Test
	void replicatedWritesWhenZeroThenNoneAndWhenAboveZeroThenEnabled() {
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration());
		RedisSessionStoreConfiguration configuration = new RedisSessionStoreConfiguration();
		assertThat(configuration.tollgateReplicatedWrites(bind(Map.of()), factory,
				beans.getBeanProvider(StoreTimer.class)))
			.isSameAs(ReplicatedWrites.NONE);
		// this factory is not started: the background attempt to connect fails, nothing
		// is left open
		try (ReplicatedWrites writes = configuration.tollgateReplicatedWrites(
				bind(Map.of("tollgate.redis.wait-replicas", "1")), factory, beans.getBeanProvider(StoreTimer.class))) {
			assertThat(writes.enabled()).isTrue();
		}
	}

}
