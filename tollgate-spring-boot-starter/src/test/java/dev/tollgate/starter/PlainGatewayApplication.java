package dev.tollgate.starter;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A team's own Spring Cloud Gateway, as the README's "Add Tollgate to your gateway"
 * leaves it: a main class, the starter as the one Tollgate dependency, and YAML
 * ({@code application.yml} next to this test). Spring Security is on its classpath too,
 * as in many gateways.
 */
@SpringBootApplication
public class PlainGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(PlainGatewayApplication.class, args);
	}

}
