package dev.tollgate.token.error;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

import static org.assertj.core.api.Assertions.assertThat;

class UpstreamFailureHandlerTests {

	private final UpstreamFailureHandler handler = new UpstreamFailureHandler(new ProblemResponseWriter("tollgate"));

	private static MockServerWebExchange routed() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/x"));
		exchange.getAttributes()
			.put(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR,
					Route.async().id("api").uri(URI.create("http://orders")).predicate((e) -> true).build());
		return exchange;
	}

	@Test
	void handleWhenUpstreamRefusesConnectionThen502ProblemWithoutDetails() {
		MockServerWebExchange exchange = routed();
		StepVerifier
			.create(this.handler.handle(exchange,
					new IllegalStateException("wrapped",
							new ConnectException("Connection refused: orders.internal/10.1.2.3:8080"))))
			.verifyComplete();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
		assertThat(exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
			.contains("\"error\":\"bad_gateway\"")
			.doesNotContain("10.1.2.3")
			.doesNotContain("Exception");
	}

	@Test
	void handleWhenUpstreamTimesOutThen504() {
		MockServerWebExchange exchange = routed();
		StepVerifier
			.create(this.handler.handle(exchange,
					new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "took long", new TimeoutException())))
			.verifyComplete();
		assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
	}

	@Test
	void classifyWhenNotAnUpstreamFailureThenNull() {
		assertThat(UpstreamFailureHandler.classify(new IllegalStateException("bug"))).isNull();
		assertThat(UpstreamFailureHandler.classify(new IOException("reset")).code()).isEqualTo("bad_gateway");
	}

	@Test
	void handleWhenNotRoutedThenLeftToNextHandler() {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/nowhere"));
		ConnectException ex = new ConnectException("refused");
		StepVerifier.create(this.handler.handle(exchange, ex)).verifyErrorMatches((error) -> error == ex);
	}

}
