package dev.tollgate.starter;

import dev.tollgate.routes.session.redis.LuaScripts;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.data.redis.core.script.DefaultRedisScript;

/**
 * Replaces every Lua script bean made by Spring Data Redis's {@link DefaultRedisScript}
 * with one whose text and SHA-1 are fixed at start-up ({@link LuaScripts#of}). Spring
 * Cloud Gateway's {@code RequestRateLimiter} script
 * ({@code redisRequestRateLimiterScript}) is a classpath resource that
 * {@code DefaultRedisScript} reads on first use and checks for changes on every use,
 * under a lock: on the event loop running the request, which must neither block on file
 * I/O nor park on a contended lock.
 */
final class RedisScriptsReadAtStartup implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultRedisScript<?> script) {
			return LuaScripts.of(script.getScriptAsString(), script.getResultType());
		}
		return bean;
	}

}
