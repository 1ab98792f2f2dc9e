package dev.tollgate.backend.reactive;

import dev.tollgate.backend.support.AssertionContractCases;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A WebFlux service on Netty with the starter and no security configuration of its own.
 */
@SpringBootTest(classes = ReactiveBackendApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "tollgate.backend.public-paths=/public/**" })
class ReactiveBackendIT extends AssertionContractCases {

	@Override
	protected String expectedWebServer() {
		return "NettyWebServer";
	}

}
