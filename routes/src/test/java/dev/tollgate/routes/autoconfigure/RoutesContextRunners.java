package dev.tollgate.routes.autoconfigure;

import java.time.Duration;

import dev.tollgate.test.TestRedis;
import dev.tollgate.token.autoconfigure.TollgateDpopAutoConfiguration;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.gateway.route.RouteLocator;
import org.springframework.cloud.gateway.support.ConfigurationService;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.validation.Validator;

/**
 * The contexts the routes' auto-configurations are tested in: token-filter's
 * auto-configuration under them (the one place to name it), every routes
 * auto-configuration (each test looks at its own beans), the two gateway beans they use
 * as stubs, and the memory store unless a test says otherwise.
 */
final class RoutesContextRunners {

	/**
	 * What the routes' auto-configurations build on: token-filter's (DPoP included), and
	 * Spring Boot's application availability.
	 */
	static final AutoConfigurations BASE = AutoConfigurations.of(TollgateTokenAutoConfiguration.class,
			TollgateDpopAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class);

	static final AutoConfigurations ROUTES = AutoConfigurations.of(TollgateClientAutoConfiguration.class,
			TollgateObservabilityAutoConfiguration.class, TollgateSessionsAutoConfiguration.class,
			TollgateLoginAutoConfiguration.class, TollgateEndpointsAutoConfiguration.class,
			TollgateRouteFiltersAutoConfiguration.class, TollgateOperatorEndpointAutoConfiguration.class,
			TollgateRoutesHealthAutoConfiguration.class, TollgateRouteChecksAutoConfiguration.class);

	private RoutesContextRunners() {
	}

	/** Every routes auto-configuration, with the memory store. */
	static ApplicationContextRunner memory() {
		return new ApplicationContextRunner().withConfiguration(BASE)
			.withConfiguration(ROUTES)
			.withUserConfiguration(GatewayBeans.class)
			.withPropertyValues("tollgate.store=memory");
	}

	/**
	 * Every routes auto-configuration, with the Redis store on {@code redis} (ephemeral
	 * keys allowed).
	 */
	static ApplicationContextRunner redis(TestRedis redis) {
		return new ApplicationContextRunner().withConfiguration(BASE)
			.withConfiguration(ROUTES)
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withUserConfiguration(GatewayBeans.class)
			.withPropertyValues("tollgate.store=redis", "tollgate.signing.ephemeral-keys-allowed=true",
					"spring.data.redis.port=" + redis.port(), "spring.data.redis.timeout=" + Duration.ofSeconds(2));
	}

	/**
	 * The gateway's beans the routes' auto-configurations take: its routes (none) and its
	 * configuration binder.
	 */
	@Configuration(proxyBeanMethods = false)
	static class GatewayBeans {

		@Bean
		RouteLocator routeLocator() {
			return Flux::empty;
		}

		@Bean
		ConfigurationService gatewayConfigurationService(BeanFactory beanFactory,
				ObjectProvider<ConversionService> conversion, ObjectProvider<Validator> validator) {
			return new ConfigurationService(beanFactory, conversion, validator);
		}

	}

}
