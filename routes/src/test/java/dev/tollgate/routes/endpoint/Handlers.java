package dev.tollgate.routes.endpoint;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.HandlerFunction;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;

/**
 * Runs a functional endpoint on a {@link MockServerWebExchange} and writes its answer
 * into the exchange.
 */
final class Handlers {

	private static final HandlerStrategies STRATEGIES = HandlerStrategies.withDefaults();

	private static final ServerResponse.Context CONTEXT = new ServerResponse.Context() {

		@Override
		public List<HttpMessageWriter<?>> messageWriters() {
			return STRATEGIES.messageWriters();
		}

		@Override
		public List<ViewResolver> viewResolvers() {
			return List.of();
		}

	};

	private Handlers() {
	}

	/** Handles {@code exchange}; the answer is in its response. */
	static MockServerWebExchange handle(HandlerFunction<ServerResponse> handler, MockServerWebExchange exchange) {
		return handle(handler, exchange, Map.of());
	}

	/**
	 * Handles {@code exchange} as matched with {@code pathVariables}; the answer is in
	 * its response.
	 */
	static MockServerWebExchange handle(HandlerFunction<ServerResponse> handler, MockServerWebExchange exchange,
			Map<String, String> pathVariables) {
		exchange.getAttributes().put(RouterFunctions.URI_TEMPLATE_VARIABLES_ATTRIBUTE, pathVariables);
		ServerRequest request = ServerRequest.create(exchange, STRATEGIES.messageReaders());
		handler.handle(request).flatMap((response) -> response.writeTo(exchange, CONTEXT)).block(Duration.ofSeconds(5));
		return exchange;
	}

	/** The answer's body. */
	static String body(MockServerWebExchange exchange) {
		return exchange.getResponse().getBodyAsString().block(Duration.ofSeconds(5));
	}

}
