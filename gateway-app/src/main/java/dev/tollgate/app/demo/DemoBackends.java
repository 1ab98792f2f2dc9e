package dev.tollgate.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.netty.handler.codec.http.HttpResponseStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;

/**
 * DEMO ONLY. Two fake backends on loopback, so that the README's walk-through runs with
 * nothing installed: a user service ({@code POST /login}) that knows two users, and an
 * echo upstream that answers every request with what it received, so you can see the
 * identity headers Tollgate injected. Started by the {@code demo} profile only.
 */
final class DemoBackends implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DemoBackends.class);

	private static final JsonMapper JSON = JsonMapper.shared();

	/**
	 * username → (password, user id, roles). Demo credentials, printed in the README;
	 * admin is also an operator ({@code tollgate-operator}: the operators' Actuator
	 * endpoint).
	 */
	private static final Map<String, DemoUser> USERS = Map.of("alice",
			new DemoUser("alice-password", "u-1001", List.of("user")), "admin",
			new DemoUser("admin-password", "u-1", List.of("user", "admin", "tollgate-operator")));

	private final int userServicePort;

	private final int upstreamPort;

	private volatile List<DisposableServer> servers = List.of();

	DemoBackends(int userServicePort, int upstreamPort) {
		this.userServicePort = userServicePort;
		this.upstreamPort = upstreamPort;
	}

	@Override
	public void start() {
		DisposableServer users = HttpServer.create()
			.host("127.0.0.1")
			.port(this.userServicePort)
			.route((routes) -> routes.post("/login", DemoBackends::login))
			.bindNow();
		DisposableServer upstream = HttpServer.create()
			.host("127.0.0.1")
			.port(this.upstreamPort)
			.handle(DemoBackends::echo)
			.bindNow();
		this.servers = List.of(users, upstream);
		logger.warn("DEMO profile: fake user service on 127.0.0.1:" + users.port() + ", echo upstream on 127.0.0.1:"
				+ upstream.port() + ", in-memory sessions. Not for production.");
	}

	@Override
	public void stop() {
		this.servers.forEach(DisposableServer::disposeNow);
		this.servers = List.of();
	}

	@Override
	public boolean isRunning() {
		return !this.servers.isEmpty();
	}

	private static Mono<Void> login(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asByteArray().defaultIfEmpty(new byte[0]).flatMap((body) -> {
			DemoUser user = authenticate(body);
			if (user == null) {
				return json(response.status(HttpResponseStatus.UNAUTHORIZED), Map.of("message", "bad credentials"));
			}
			Map<String, Object> answer = new LinkedHashMap<>();
			answer.put("userId", user.id());
			answer.put("roles", user.roles());
			// Extra fields a real user service might return: Tollgate must not pass them
			// to the client.
			answer.put("passwordChangedAt", "2026-01-01T00:00:00Z");
			return json(response.header("Set-Cookie", "user-service-session=internal"), answer);
		});
	}

	private static DemoUser authenticate(byte[] body) {
		try {
			JsonNode credentials = JSON.readTree(body);
			DemoUser user = USERS.get(credentials.path("username").asString(""));
			return (user != null && user.password().equals(credentials.path("password").asString(""))) ? user : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static Mono<Void> echo(HttpServerRequest request, HttpServerResponse response) {
		Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
		request.requestHeaders()
			.forEach((header) -> headers.merge(header.getKey(), header.getValue(), (a, b) -> a + ", " + b));
		headers.remove("Authorization");
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("upstream", "demo-echo");
		answer.put("method", request.method().name());
		answer.put("path", request.uri());
		answer.put("headers", headers);
		return request.receive().then(json(response, answer));
	}

	private static Mono<Void> json(HttpServerResponse response, Object body) {
		byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
		return response.header("Content-Type", "application/json").sendByteArray(Mono.just(bytes)).then();
	}

	private record DemoUser(String password, String id, List<String> roles) {
	}

}
