package dev.tollgate.starter;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gateway on the starter gets Spring Cloud Gateway's {@code RequestRateLimiter} script
 * read once at start-up: the bean is no {@link DefaultRedisScript} (which reads its file
 * on first use, and takes a lock on every use, on the event loop), and it is the same
 * script under the same SHA-1.
 */
@SpringBootTest(classes = PlainGatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "user-service.uri=http://127.0.0.1:9", "api.uri=http://127.0.0.1:9" })
class RedisScriptsIT {

	@Autowired
	@Qualifier("redisRequestRateLimiterScript")
	RedisScript<List<Long>> script;

	@Test
	void rateLimiterScriptWhenStartedThenReadOnceAndTheSameScript() {
		DefaultRedisScript<List<Long>> gateways = new DefaultRedisScript<>();
		gateways.setLocation(new ClassPathResource("META-INF/scripts/request_rate_limiter.lua"));

		assertThat(this.script).isNotInstanceOf(DefaultRedisScript.class);
		assertThat(this.script.getScriptAsString()).isEqualTo(gateways.getScriptAsString());
		assertThat(this.script.getSha1()).isEqualTo(gateways.getSha1());
	}

}
