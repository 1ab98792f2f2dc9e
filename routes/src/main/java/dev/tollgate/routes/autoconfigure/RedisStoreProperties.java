package dev.tollgate.routes.autoconfigure;

import java.time.Duration;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The Redis store's use of Spring Boot's Redis connection, under {@code tollgate.redis}.
 *
 * @param timeout Longest wait for one store operation before login, refresh or logout
 * answer 503; also the Redis client's command timeout unless spring.data.redis.timeout
 * sets one
 * @param waitReplicas Replicas that must acknowledge a login, a rotation or the end of a
 * session (Redis WAIT, for at most half of tollgate.redis.timeout) before the client is
 * answered, so that a fail-over cannot lose it; if fewer do, 503 temporarily_unavailable.
 * 0 (default) waits for none. Pair it with a reuse-grace of a few seconds, so that a
 * client retrying a refresh answered 503 gets the same successor
 */
@ConfigurationProperties("tollgate.redis")
public record RedisStoreProperties(@DefaultValue("2s") Duration timeout, @DefaultValue("0") int waitReplicas) {

	public RedisStoreProperties {
		TollgateConfigurationException.requirePositive("tollgate.redis.timeout", timeout);
		if (waitReplicas < 0) {
			throw new TollgateConfigurationException("tollgate.redis.wait-replicas", "is " + waitReplicas,
					"use 0 (answer once the master has the write) or the number of replicas that must have it, "
							+ "e.g. 1");
		}
	}

	/**
	 * The longest Redis {@code WAIT}: half of {@link #timeout}, so that the write and its
	 * {@code WAIT} together answer within the timeout, and a {@code WAIT} that runs out
	 * answers 503 rather than a client-side timeout.
	 */
	public Duration waitTimeout() {
		return this.timeout.dividedBy(2);
	}

}
