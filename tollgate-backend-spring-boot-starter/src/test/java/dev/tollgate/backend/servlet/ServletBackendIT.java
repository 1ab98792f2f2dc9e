package dev.tollgate.backend.servlet;

import dev.tollgate.backend.support.AssertionContractCases;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A Spring MVC service on Tomcat with the starter and no security configuration of its
 * own.
 */
@SpringBootTest(classes = ServletBackendApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "tollgate.backend.public-paths=/public/**")
class ServletBackendIT extends AssertionContractCases {

	@Override
	protected String expectedWebServer() {
		return "TomcatWebServer";
	}

}
