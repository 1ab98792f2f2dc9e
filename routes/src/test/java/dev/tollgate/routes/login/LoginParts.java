package dev.tollgate.routes.login;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.TestTokens;
import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.observe.AuditLog;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.RecordingAuthCounters;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.memory.InMemoryRefreshTokenStore;
import reactor.core.publisher.Flux;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpResponse;

/**
 * What the tests of the IssueTokens filter's parts share: the reporting, a store, and
 * user services.
 */
final class LoginParts implements AutoCloseable {

	final RecordingAuthCounters counters = new RecordingAuthCounters();

	final AuditLog audit = new AuditLog((event) -> {
	});

	final AuthEvents events = new AuthEvents(this.audit, this.counters);

	final LoginFailures failures = new LoginFailures(TestTokens.WRITER, this.events);

	final RefreshTokenStore store = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
			new SessionSettings(Duration.ofDays(7), Duration.ofDays(30), Duration.ZERO, 50, BindingSettings.OFF),
			TestTokens.CLOCK);

	/**
	 * A user service answering {@code status} with {@code body}, as the route writes it
	 * into the response.
	 */
	static GatewayFilterChain userService(HttpStatus status, String body) {
		return (exchange) -> {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(status);
			response.getHeaders().add("Set-Cookie", "user-service-session=secret");
			response.getHeaders().add("Server", "user-service/1.0");
			// a Flux, as a connection's body is: DataBufferUtils.join takes a Mono's one
			// buffer whatever its size
			return response.writeWith(Flux.just(response.bufferFactory().wrap(body.getBytes(StandardCharsets.UTF_8))));
		};
	}

	/** The users of {@code store}, by their live sessions. */
	List<String> sessionsOf(String userId) {
		return this.store.sessions(userId)
			.block(Duration.ofSeconds(5))
			.stream()
			.map((session) -> session.id())
			.toList();
	}

	@Override
	public void close() {
		this.audit.close();
	}

}
