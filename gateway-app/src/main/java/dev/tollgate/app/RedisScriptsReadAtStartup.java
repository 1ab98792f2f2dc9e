package dev.tollgate.app;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.stereotype.Component;

/**
 * Reads every Lua script bean's text once at start-up. Spring Cloud Gateway's {@code RequestRateLimiter} script
 * ({@code redisRequestRateLimiterScript}) is a classpath resource that Spring Data Redis reads on its first use, and
 * again whenever Redis has lost its script cache (a restart, a fail-over): on the event loop running that request,
 * which must not block on file I/O.
 */
@Component
final class RedisScriptsReadAtStartup implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultRedisScript<?> script) {
			script.setScriptText(script.getScriptAsString());
		}
		return bean;
	}

}
