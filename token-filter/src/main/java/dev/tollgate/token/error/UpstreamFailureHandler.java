package dev.tollgate.token.error;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.webflux.error.ErrorWebExceptionHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.NotFoundException;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a routed request whose upstream failed as problem+json instead of Spring's
 * default 500: 504 {@code gateway_timeout} when it did not answer in time, 502
 * {@code bad_gateway} when it could not be reached, closed the connection, or no instance
 * of it was found. One WARN line names the route and the cause; the client learns nothing
 * of the upstream. Any other error is left to the next handler.
 */
public final class UpstreamFailureHandler implements ErrorWebExceptionHandler, Ordered {

	/** Before Spring Boot's default handler (-1). */
	public static final int ORDER = -2;

	private static final Log logger = LogFactory.getLog(UpstreamFailureHandler.class);

	private final ProblemResponseWriter writer;

	public UpstreamFailureHandler(ProblemResponseWriter writer) {
		this.writer = writer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable ex) {
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		TollgateError error = (route != null) ? classify(ex) : null;
		if (error == null || exchange.getResponse().isCommitted()) {
			return Mono.error(ex);
		}
		if (logger.isWarnEnabled()) {
			logger.warn(
					"Upstream of route '" + route.getId() + "' failed (" + error.status().value() + "): " + cause(ex));
		}
		exchange.getResponse().getHeaders().clear();
		return this.writer.write(exchange, error);
	}

	/** The answer for an upstream failure, or {@code null} when {@code ex} is not one. */
	public static TollgateError classify(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof TimeoutException || cause instanceof io.netty.handler.timeout.TimeoutException
					|| cause instanceof io.netty.channel.ConnectTimeoutException
					|| (cause instanceof ResponseStatusException status
							&& status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value())) {
				return TollgateErrors.gatewayTimeout("upstream did not answer in time");
			}
		}
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof IOException || cause instanceof NotFoundException) {
				return TollgateErrors.badGateway("upstream unavailable");
			}
		}
		return null;
	}

	private static String cause(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getName() + ": " + root.getMessage();
	}

}
