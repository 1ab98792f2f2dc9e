package dev.tollgate.app.demo;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Profile;

/** DEMO ONLY: the in-process fake backends of the {@code demo} profile. */
@Configuration(proxyBeanMethods = false)
@Profile("demo")
class DemoConfiguration {

	@Bean
	DemoBackends demoBackends(@Value("${tollgate.demo.user-service-port}") int userServicePort,
			@Value("${tollgate.demo.upstream-port}") int upstreamPort) {
		return new DemoBackends(userServicePort, upstreamPort);
	}

}
