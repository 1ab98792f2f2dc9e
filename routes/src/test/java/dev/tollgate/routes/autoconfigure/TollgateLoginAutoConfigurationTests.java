package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.login.InMemoryLoginGuard;
import dev.tollgate.routes.login.IssueTokensGatewayFilterFactory;
import dev.tollgate.routes.login.LoginGuard;
import dev.tollgate.routes.login.RedisLoginGuard;
import dev.tollgate.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TollgateLoginAutoConfiguration}: the IssueTokens filter and the guard of the
 * chosen store.
 */
class TollgateLoginAutoConfigurationTests {

	private static TestRedis redis;

	@BeforeAll
	static void startRedis() {
		redis = TestRedis.start();
	}

	@AfterAll
	static void stopRedis() {
		if (redis != null) {
			redis.close();
		}
	}

	@Test
	void beansWhenMemoryStoreThenIssueTokensAndAGuardInThisProcess() {
		RoutesContextRunners.memory().run((context) -> {
			assertThat(context).getBean("issueTokensGatewayFilterFactory")
				.isInstanceOf(IssueTokensGatewayFilterFactory.class);
			assertThat(context).getBean("tollgateLoginGuard").isInstanceOf(InMemoryLoginGuard.class);
		});
	}

	@Test
	void guardWhenRedisStoreThenInRedis() {
		RoutesContextRunners.redis(redis)
			.run((context) -> assertThat(context).getBean("tollgateLoginGuard").isInstanceOf(RedisLoginGuard.class));
	}

	@Test
	void guardWhenProtectionDisabledThenNone() {
		RoutesContextRunners.memory()
			.withPropertyValues("tollgate.login.protection.enabled=false")
			.run((context) -> assertThat(context.getBean(LoginGuard.class)).isSameAs(LoginGuard.NONE));
	}

	@Test
	void guardWhenTheApplicationHasItsOwnThenThatOneAndIssueTokensUsesIt() {
		RoutesContextRunners.memory().withBean("ownGuard", LoginGuard.class, () -> LoginGuard.NONE).run((context) -> {
			assertThat(context).getBeanNames(LoginGuard.class).containsExactly("ownGuard");
			assertThat(context).hasSingleBean(IssueTokensGatewayFilterFactory.class);
		});
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		RoutesContextRunners.memory().withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(IssueTokensGatewayFilterFactory.class);
			assertThat(context).doesNotHaveBean(LoginGuard.class);
		});
	}

}
