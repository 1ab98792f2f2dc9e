package dev.tollgate.benchmarks.peer;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/**
 * BENCHMARK ONLY. The peer that {@code benchmarks/edge/run.sh} measures Tollgate against:
 * the same Spring Cloud Gateway, with Spring Security's OAuth2 resource server checking
 * the same tokens and injecting the same {@code X-User-Id} / {@code X-User-Roles}
 * headers, configured stateless as a performance-minded team would. Routes come from the
 * YAML the script writes.
 */
@SpringBootApplication
@EnableConfigurationProperties(PeerProperties.class)
public class PeerGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(PeerGatewayApplication.class, args);
	}

}
