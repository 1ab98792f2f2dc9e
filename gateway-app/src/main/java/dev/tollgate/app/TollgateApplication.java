package dev.tollgate.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Tollgate gateway: Spring Cloud Gateway plus Tollgate's auto-configuration. Routes
 * and settings come from configuration
 * ({@code spring.cloud.gateway.server.webflux.routes}, {@code tollgate.*}).
 */
@SpringBootApplication
public class TollgateApplication {

	public static void main(String[] args) {
		SpringApplication.run(TollgateApplication.class, args);
	}

}
