package dev.tollgate.starter;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.script.DefaultRedisScript;

/**
 * Keeps the Redis scripts of the application's other beans off the event loop
 * ({@link RedisScriptsReadAtStartup}): above all Spring Cloud Gateway's
 * {@code RequestRateLimiter} script, which the README puts on the login route. Every
 * gateway built on the starter gets it; off with {@code tollgate.enabled=false}, like the
 * rest of Tollgate.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnClass(DefaultRedisScript.class)
public class TollgateRedisScriptsAutoConfiguration {

	/**
	 * Static: a post-processor is made before the other beans, without making this
	 * configuration first.
	 */
	@Bean
	@ConditionalOnMissingBean
	static RedisScriptsReadAtStartup tollgateRedisScriptsReadAtStartup() {
		return new RedisScriptsReadAtStartup();
	}

}
