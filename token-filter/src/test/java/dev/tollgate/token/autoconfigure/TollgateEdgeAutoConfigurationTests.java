package dev.tollgate.token.autoconfigure;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.UpstreamFailureHandler;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.filter.IdentityHeadersFilter;
import dev.tollgate.token.firewall.ConnectionGuard;
import dev.tollgate.token.firewall.RequestFirewall;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The access check at the edge: there by default, the application's own beans win, none
 * when Tollgate is off.
 */
class TollgateEdgeAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(TollgateTokenAutoConfiguration.class, TollgateEdgeAutoConfiguration.class));

	@Test
	void contextWhenDefaultsThenEveryBeanUnderItsName() {
		this.runner.run((context) -> {
			assertThat(context).getBean("tollgateRequestFirewall").isInstanceOf(RequestFirewall.class);
			assertThat(context).getBean("tollgateAccessTokenGlobalFilter").isInstanceOf(AccessTokenGlobalFilter.class);
			assertThat(context).getBean("tollgateIdentityHeadersFilter").isInstanceOf(IdentityHeadersFilter.class);
			assertThat(context).getBean("tollgateUpstreamFailureHandler").isInstanceOf(UpstreamFailureHandler.class);
			assertThat(context).getBean("tollgateConnectionGuard").isInstanceOf(ConnectionGuard.class);
		});
	}

	@Test
	void contextWhenTrustedProxiesConfiguredThenFirewallKeepsXRealIp() {
		this.runner.withPropertyValues("tollgate.client-address.trusted-proxies=1").run((context) -> {
			MockServerWebExchange exchange = MockServerWebExchange
				.from(MockServerHttpRequest.get("/api").header("X-Real-IP", "203.0.113.7"));
			String[] forwarded = new String[1];
			WebFilterChain chain = (filtered) -> {
				forwarded[0] = filtered.getRequest().getHeaders().getFirst("X-Real-IP");
				return Mono.empty();
			};
			context.getBean(RequestFirewall.class).filter(exchange, chain).block();
			assertThat(forwarded[0]).isEqualTo("203.0.113.7");
		});
	}

	@Test
	void contextWhenApplicationHasItsOwnBeansThenTheyWin() {
		RequestFirewall own = new RequestFirewall(0, new ProblemResponseWriter("own"));
		IdentityHeadersFilter headers = new IdentityHeadersFilter();
		this.runner.withBean("myFirewall", RequestFirewall.class, () -> own)
			.withBean("myHeaders", IdentityHeadersFilter.class, () -> headers)
			.run((context) -> {
				assertThat(context).hasSingleBean(RequestFirewall.class);
				assertThat(context.getBean(RequestFirewall.class)).isSameAs(own);
				assertThat(context).hasSingleBean(IdentityHeadersFilter.class);
				assertThat(context.getBean(IdentityHeadersFilter.class)).isSameAs(headers);
				assertThat(context).hasSingleBean(AccessTokenGlobalFilter.class);
			});
	}

	@Test
	void contextWhenNoReactorNettyThenNoConnectionGuard() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class)).run((context) -> {
			assertThat(context).doesNotHaveBean(ConnectionGuard.class);
			assertThat(context).hasSingleBean(AccessTokenGlobalFilter.class);
		});
	}

	@Test
	void contextWhenTollgateDisabledThenNoBeans() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(RequestFirewall.class)
				.doesNotHaveBean(AccessTokenGlobalFilter.class)
				.doesNotHaveBean(IdentityHeadersFilter.class)
				.doesNotHaveBean(UpstreamFailureHandler.class)
				.doesNotHaveBean(ConnectionGuard.class);
		});
	}

}
