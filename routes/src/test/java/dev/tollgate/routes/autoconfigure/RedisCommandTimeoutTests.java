package dev.tollgate.routes.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tollgate.redis.timeout} becomes Lettuce's command timeout unless
 * {@code spring.data.redis.timeout} is set.
 */
class RedisCommandTimeoutTests {

	private static Duration commandTimeout(Map<String, String> tollgate, Duration springTimeout) {
		RedisStoreProperties properties = new Binder(new MapConfigurationPropertySource(tollgate))
			.bindOrCreate("tollgate.redis", RedisStoreProperties.class);
		DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
		DataRedisProperties spring = new DataRedisProperties();
		spring.setTimeout(springTimeout);
		beans.registerSingleton("redisProperties", spring);
		LettuceClientConfiguration.LettuceClientConfigurationBuilder builder = LettuceClientConfiguration.builder();
		new RedisSessionStoreConfiguration()
			.tollgateRedisCommandTimeout(properties, beans.getBeanProvider(DataRedisProperties.class))
			.customize(builder);
		return builder.build().getCommandTimeout();
	}

	@Test
	void commandTimeoutWhenNothingSetThenTollgateDefaultNotLettucesMinute() {
		assertThat(commandTimeout(Map.of(), null)).isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void commandTimeoutWhenTollgateTimeoutSetThenThatOne() {
		assertThat(commandTimeout(Map.of("tollgate.redis.timeout", "750ms"), null)).isEqualTo(Duration.ofMillis(750));
	}

	@Test
	void commandTimeoutWhenSpringTimeoutSetThenLeftToSpringBoot() {
		// Spring Boot applies spring.data.redis.timeout itself; the customizer must not
		// override it
		assertThat(commandTimeout(Map.of("tollgate.redis.timeout", "750ms"), Duration.ofSeconds(5)))
			.isEqualTo(Duration.ofSeconds(60));
	}

}
