package dev.tollgate.starter;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateRedisScriptsAutoConfiguration}: on by default, replaceable, off with
 * Tollgate.
 */
class TollgateRedisScriptsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateRedisScriptsAutoConfiguration.class))
		.withUserConfiguration(ScriptConfiguration.class);

	@Test
	void scriptBeanWhenTollgateOnThenReadAtStartup() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(RedisScriptsReadAtStartup.class);
			assertThat(context.getBean("script")).isNotInstanceOf(DefaultRedisScript.class);
			assertThat(context.getBean("script", RedisScript.class).getScriptAsString()).isEqualTo("return {1}");
		});
	}

	@Test
	void scriptBeanWhenTollgateDisabledThenLeftAsSpringDataMadeIt() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisScriptsReadAtStartup.class);
			assertThat(context.getBean("script")).isInstanceOf(DefaultRedisScript.class);
		});
	}

	@Test
	void postProcessorWhenTheApplicationHasItsOwnThenThatOne() {
		this.runner.withBean("ownPostProcessor", RedisScriptsReadAtStartup.class, RedisScriptsReadAtStartup::new)
			.run((context) -> assertThat(context).getBeanNames(RedisScriptsReadAtStartup.class)
				.containsExactly("ownPostProcessor"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ScriptConfiguration {

		@Bean
		RedisScript<List<Long>> script() {
			return new DefaultRedisScript<>("return {1}");
		}

	}

}
