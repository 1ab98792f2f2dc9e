package dev.tollgate.test;

import java.time.Duration;

import org.springframework.data.redis.connection.RedisConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A started Lettuce connection to a test Redis (standalone or Cluster) and a string
 * template on it. The command timeout is the test's: Lettuce's default of 60 s is far too
 * long for outage tests.
 *
 * @param factory the connection factory
 * @param template a template using it
 */
public record TestRedisConnection(LettuceConnectionFactory factory,
		ReactiveStringRedisTemplate template) implements AutoCloseable {

	static TestRedisConnection open(RedisConfiguration configuration, Duration commandTimeout) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration,
				LettuceClientConfiguration.builder().commandTimeout(commandTimeout).build());
		factory.afterPropertiesSet();
		factory.start();
		return new TestRedisConnection(factory, new ReactiveStringRedisTemplate(factory));
	}

	/** Closes the connection. */
	@Override
	public void close() {
		this.factory.destroy();
	}

}
