package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBindingResolver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TollgateClientAutoConfiguration}: the client's address and binding values. */
class TollgateClientAutoConfigurationTests {

	private final ApplicationContextRunner runner = RoutesContextRunners.memory();

	@Test
	void beansWhenTollgateOnThenPresentUnderTheirNames() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean("tollgateClientAddressResolver").isInstanceOf(ClientAddressResolver.class);
			assertThat(context).getBean("tollgateClientFactsResolver").isInstanceOf(ClientBindingResolver.class);
			assertThat(context).getBean("tollgateForwardedHeadersWarning").isInstanceOf(ForwardedHeadersWarning.class);
		});
	}

	@Test
	void addressResolverWhenTheApplicationHasItsOwnThenThatOne() {
		ClientAddressResolver own = new ClientAddressResolver(1);
		this.runner.withBean("ownResolver", ClientAddressResolver.class, () -> own)
			.run((context) -> assertThat(context).getBean(ClientAddressResolver.class).isSameAs(own));
	}

	@Test
	void beansWhenTollgateDisabledThenAbsent() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ClientAddressResolver.class);
			assertThat(context).doesNotHaveBean(ClientBindingResolver.class);
			assertThat(context).doesNotHaveBean(ForwardedHeadersWarning.class);
		});
	}

}
