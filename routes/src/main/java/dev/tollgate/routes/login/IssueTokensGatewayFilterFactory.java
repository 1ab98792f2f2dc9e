package dev.tollgate.routes.login;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.client.ClientBindingResolver;
import dev.tollgate.routes.http.BodyReader;
import dev.tollgate.routes.http.CookieSettings;
import dev.tollgate.routes.http.CrossSiteRequests;
import dev.tollgate.routes.http.StrictJson;
import dev.tollgate.routes.http.TokenResponses;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.observe.LoginOutcome;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.error.UpstreamFailureHandler;
import dev.tollgate.token.filter.TokenExemptFilter;
import dev.tollgate.token.jwt.ClaimRules;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.NettyWriteResponseFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code IssueTokens}: turns the login route's user-service answer into a token response. The route
 * forwards the client's credentials as usual; on a 2xx answer this filter reads {@code userId} (required)
 * and {@code roles} (optional) from the JSON, starts a session in the {@link RefreshTokenStore} and replaces
 * the whole response, headers included, with the token response. Nothing else of the user service's answer
 * reaches the client. 401/403 become 401 {@code invalid_credentials}, other 4xx 400 {@code invalid_request},
 * anything else or an unreachable service 502 {@code bad_gateway}, no complete answer within
 * {@code tollgate.login.timeout} 504 {@code gateway_timeout}.
 * <p>
 * Before the user service is called, the request body is read whole, at most {@code tollgate.login.max-body-size}
 * (413 beyond, 408 when it does not arrive in time), in cookie mode a cross-site request is refused (403
 * {@code access_denied}: login CSRF), and the {@link LoginGuard} admits the attempt or answers 429
 * {@code too_many_attempts} with {@code Retry-After} (too many failures for the username from this address, or from
 * this address). A route carrying this filter needs no access token.
 */
public final class IssueTokensGatewayFilterFactory
		extends AbstractGatewayFilterFactory<IssueTokensGatewayFilterFactory.Config> {

	/** Inside the response write, so that the body can be replaced (see NettyWriteResponseFilter). */
	public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	private static final String CORS_HEADERS_ATTR = IssueTokensGatewayFilterFactory.class.getName() + ".cors";

	private static final String ATTEMPT_ATTR = IssueTokensGatewayFilterFactory.class.getName() + ".attempt";

	private static final String OUTCOME_ATTR = IssueTokensGatewayFilterFactory.class.getName() + ".outcome";

	/** Largest user-service answer read; a login answer is a few hundred bytes. */
	static final int MAX_USER_RESPONSE_BYTES = 64 * 1024;

	private static final Log logger = LogFactory.getLog(IssueTokensGatewayFilterFactory.class);

	private final RefreshTokenStore store;

	private final TokenResponses responses;

	private final ProblemResponseWriter writer;

	private final AuthEvents events;

	private final ClientAddressResolver clients;

	private final BodyReader bodies;

	private final LoginSettings limits;

	private final LoginGuard guard;

	private final ClientBindingResolver bindings;

	/** Cookie mode's cross-site refusal, or {@code null} in body mode. */
	private final CrossSiteRequests crossSite;

	public IssueTokensGatewayFilterFactory(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuthEvents events, ClientAddressResolver clients, BodyReader bodies,
			LoginSettings limits, CookieSettings cookie, LoginGuard guard, ClientBindingResolver bindings) {
		super(Config.class);
		this.guard = guard;
		this.bindings = bindings;
		this.store = store;
		this.responses = responses;
		this.writer = writer;
		this.events = events;
		this.clients = clients;
		this.bodies = bodies;
		this.limits = limits;
		this.crossSite = cookie.enabled() ? new CrossSiteRequests(cookie.allowedOrigins()) : null;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("userIdField", "rolesField");
	}

	@Override
	public GatewayFilter apply(Config config) {
		return new IssueTokensFilter(config.getUserIdField(), config.getRolesField(), config.getUsernameField());
	}

	private final class IssueTokensFilter implements TokenExemptFilter, Ordered {

		private final String userIdField;

		private final String rolesField;

		private final String usernameField;

		IssueTokensFilter(String userIdField, String rolesField, String usernameField) {
			this.userIdField = userIdField;
			this.rolesField = rolesField;
			this.usernameField = usernameField;
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			rememberCorsHeaders(exchange);
			ServerHttpRequest request = exchange.getRequest();
			String clientIp = IssueTokensGatewayFilterFactory.this.clients.resolve(request);
			exchange.getAttributes().put(ATTEMPT_ATTR, new LoginAttempt(null, clientIp));
			TollgateError refusal = refusalBeforeReading(request.getHeaders());
			if (refusal != null) {
				return fail(exchange, refusal);
			}
			return IssueTokensGatewayFilterFactory.this.bodies.read(request.getBody(), maxBodyBytes())
				.flatMap((body) -> {
					LoginAttempt attempt = LoginAttempt.of(body, this.usernameField, clientIp);
					exchange.getAttributes().put(ATTEMPT_ATTR, attempt);
					return guarded(exchange, attempt, () -> forward(exchange, chain, body));
				})
				.onErrorResume(TollgateErrorException.class, (ex) -> fail(exchange, ex.error()))
				.onErrorResume(StoreUnavailableException.class, (ex) -> fail(exchange, ex.error()));
		}

		/**
		 * Runs {@code login} if the guard admits the attempt, then tells the guard how it ended (after the answer is
		 * written: the attempt counts as in flight until then), also when the client goes away.
		 */
		private Mono<Void> guarded(ServerWebExchange exchange, LoginAttempt attempt, Supplier<Mono<Void>> login) {
			LoginGuard guard = IssueTokensGatewayFilterFactory.this.guard;
			return guard.admit(attempt).flatMap((admission) -> {
				if (!admission.admitted()) {
					return fail(exchange, TollgateErrors.tooManyAttempts(admission.retryAfterSeconds()));
				}
				AtomicBoolean ended = new AtomicBoolean();
				Supplier<Mono<Void>> end = () -> ended.compareAndSet(false, true)
						? guard.end(attempt, result(exchange)).onErrorResume((ex) -> {
							logger.warn("Login: could not record the attempt's result: " + ex.getMessage());
							return Mono.empty();
						}) : Mono.empty();
				return login.get()
					.then(Mono.defer(end))
					.doOnCancel(() -> end.get().subscribe());
			});
		}

		/** Sends the buffered credentials to the user service, bounded by {@code tollgate.login.timeout}. */
		private Mono<Void> forward(ServerWebExchange exchange, GatewayFilterChain chain, byte[] body) {
			LoginResponse response = new LoginResponse(exchange, this);
			ServerWebExchange login = exchange.mutate()
				.request(new BufferedRequest(exchange.getRequest(), body, exchange.getResponse().bufferFactory()))
				.response(response)
				.build();
			// the deadline covers the user service's whole answer, not the session that follows it
			Mono<Long> deadline = Mono.delay(IssueTokensGatewayFilterFactory.this.limits.timeout())
				.flatMap((tick) -> response.answered() ? Mono.never() : Mono.just(tick));
			return chain.filter(login)
				.timeout(deadline)
				.onErrorResume((ex) -> fail(exchange, upstreamFailure(ex)));
		}

		@Override
		public String toString() {
			return "IssueTokens[userIdField=" + this.userIdField + ", rolesField=" + this.rolesField + "]";
		}

	}

	/** Replaces the user service's answer as it is written. */
	private final class LoginResponse extends ServerHttpResponseDecorator {

		private final ServerWebExchange exchange;

		private final IssueTokensFilter filter;

		/** Whether the user service's answer was read whole (the login deadline no longer applies). */
		private volatile boolean answered;

		LoginResponse(ServerWebExchange exchange, IssueTokensFilter filter) {
			super(exchange.getResponse());
			this.exchange = exchange;
			this.filter = filter;
		}

		boolean answered() {
			return this.answered;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			HttpStatusCode status = getStatusCode();
			if (status == null || !status.is2xxSuccessful()) {
				return Flux.from(body)
					.doOnNext(DataBufferUtils::release)
					.onErrorComplete()
					.then(Mono.defer(() -> {
						this.answered = true;
						return fail(this.exchange, refusal(status));
					}));
			}
			return DataBufferUtils.join(body, MAX_USER_RESPONSE_BYTES)
				.map(LoginResponse::bytes)
				.defaultIfEmpty(new byte[0])
				.doOnNext((answer) -> this.answered = true)
				.flatMap(this::issue)
				.onErrorResume(DataBufferLimitException.class,
						(ex) -> fail(this.exchange, TollgateErrors.badGateway("user service answer too large")));
		}

		@Override
		public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
			return writeWith(Flux.from(body).concatMap(Flux::from));
		}

		private Mono<Void> issue(byte[] userServiceAnswer) {
			Identity identity = identity(userServiceAnswer, this.filter);
			if (identity == null) {
				logger.warn("Login: the user service answered " + getStatusCode() + " without a usable '"
						+ this.filter.userIdField + "' (string) or '" + this.filter.rolesField
						+ "' (array of strings without commas); answering 502");
				return fail(this.exchange, TollgateErrors.badGateway("user service answer lacks a valid user id"));
			}
			ClientBinding binding = IssueTokensGatewayFilterFactory.this.bindings.resolve(this.exchange.getRequest());
			return IssueTokensGatewayFilterFactory.this.store.create(identity.userId(), identity.roles(), binding)
				.flatMap((refreshToken) -> {
					TokenResponses.TokenResponse response = IssueTokensGatewayFilterFactory.this.responses
						.create(refreshToken);
					LoginAttempt attempt = attempt(this.exchange);
					this.exchange.getAttributes().put(OUTCOME_ATTR, LoginOutcome.SUCCESS);
					IssueTokensGatewayFilterFactory.this.events.login(LoginOutcome.SUCCESS, identity.userId(),
							refreshToken.session().id(), attempt.username(), attempt.clientIp());
					ServerHttpResponse delegate = getDelegate();
					delegate.setStatusCode(HttpStatus.OK);
					resetHeaders(this.exchange, delegate.getHeaders());
					response.applyHeaders(delegate.getHeaders());
					return delegate.writeWith(Mono.just(delegate.bufferFactory().wrap(response.json())));
				})
				.onErrorResume(StoreUnavailableException.class, (ex) -> fail(this.exchange, ex.error()));
		}

		private static byte[] bytes(DataBuffer buffer) {
			try {
				byte[] bytes = new byte[buffer.readableByteCount()];
				buffer.read(bytes);
				return bytes;
			}
			finally {
				DataBufferUtils.release(buffer);
			}
		}

	}

	/** A login refused before its body is read: cross-site in cookie mode, or announced as too large. */
	private TollgateError refusalBeforeReading(HttpHeaders headers) {
		TollgateError refusal = (this.crossSite != null) ? this.crossSite.refusal(headers) : null;
		if (refusal == null && headers.getContentLength() > maxBodyBytes()) {
			refusal = TollgateErrors.payloadTooLarge("body too large");
		}
		return refusal;
	}

	private int maxBodyBytes() {
		return this.limits.maxBodyBytes();
	}

	/** The user id and roles the user service vouched for, or {@code null} when its answer is unusable. */
	static Identity identity(byte[] answer, IssueTokensFilter filter) {
		JsonNode root;
		try {
			root = StrictJson.MAPPER.readTree(answer);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (root == null || !root.isObject()) {
			return null;
		}
		JsonNode userId = root.get(filter.userIdField);
		if (userId == null || !userId.isString() || !ClaimRules.isValidSubject(userId.stringValue())) {
			return null;
		}
		List<String> roles = new ArrayList<>();
		JsonNode rolesNode = root.get(filter.rolesField);
		if (rolesNode != null && !rolesNode.isNull()) {
			if (!rolesNode.isArray()) {
				return null;
			}
			for (JsonNode role : rolesNode) {
				if (!role.isString()) {
					return null;
				}
				roles.add(role.stringValue());
			}
			if (!ClaimRules.isValidRoles(roles)) {
				return null;
			}
		}
		return new Identity(userId.stringValue(), roles);
	}

	/** Ends the login with {@code error}: reported once, then answered as problem+json. */
	private Mono<Void> fail(ServerWebExchange exchange, TollgateError error) {
		LoginAttempt attempt = attempt(exchange);
		LoginOutcome outcome = outcome(error);
		exchange.getAttributes().put(OUTCOME_ATTR, outcome);
		this.events.login(outcome, null, null, attempt.username(), attempt.clientIp());
		resetHeaders(exchange, exchange.getResponse().getHeaders());
		return this.writer.write(exchange, error);
	}

	/** What the guard counts of a login that ended with the outcome recorded on the exchange. */
	private static LoginGuard.Result result(ServerWebExchange exchange) {
		LoginOutcome outcome = exchange.getAttribute(OUTCOME_ATTR);
		if (outcome == LoginOutcome.SUCCESS) {
			return LoginGuard.Result.SUCCEEDED;
		}
		return (outcome == LoginOutcome.INVALID_CREDENTIALS) ? LoginGuard.Result.FAILED : LoginGuard.Result.NOT_COUNTED;
	}

	private static LoginAttempt attempt(ServerWebExchange exchange) {
		LoginAttempt attempt = exchange.getAttribute(ATTEMPT_ATTR);
		return (attempt != null) ? attempt : new LoginAttempt(null, null);
	}

	/** The metric outcome of a login answered with {@code error}. */
	static LoginOutcome outcome(TollgateError error) {
		return switch (error.status()) {
			case UNAUTHORIZED -> LoginOutcome.INVALID_CREDENTIALS;
			case TOO_MANY_REQUESTS -> LoginOutcome.LOCKED;
			case BAD_GATEWAY -> LoginOutcome.UPSTREAM_ERROR;
			case GATEWAY_TIMEOUT -> LoginOutcome.TIMEOUT;
			case SERVICE_UNAVAILABLE -> LoginOutcome.UNAVAILABLE;
			default -> LoginOutcome.REJECTED;
		};
	}

	private static TollgateError refusal(HttpStatusCode status) {
		if (status != null && (status.value() == 401 || status.value() == 403)) {
			return TollgateErrors.invalidCredentials();
		}
		if (status != null && status.is4xxClientError()) {
			return TollgateErrors.invalidRequest("login request rejected by the user service");
		}
		return TollgateErrors.badGateway("user service failed");
	}

	/** The answer to a user-service call that failed: 504 on a timeout, else 502, as for any route. */
	private static TollgateError upstreamFailure(Throwable ex) {
		TollgateError error = UpstreamFailureHandler.classify(ex);
		if (error == null) {
			error = TollgateErrors.badGateway("upstream unavailable");
		}
		logger.warn("Login: user service call failed (" + error.status().value() + "): " + ex.getClass().getName()
				+ ": " + ex.getMessage());
		return error;
	}

	/**
	 * Removes every header of the user service's answer, keeping the CORS headers the gateway itself set before the
	 * route ran (its global CORS configuration), so that a browser app on an allowed origin can read the answer.
	 */
	private static void resetHeaders(ServerWebExchange exchange, HttpHeaders headers) {
		HttpHeaders cors = exchange.getAttribute(CORS_HEADERS_ATTR);
		List.copyOf(headers.headerNames()).forEach(headers::remove);
		if (cors != null) {
			headers.addAll(cors);
		}
	}

	/** The gateway's CORS headers of the response, as they were before the user service answered. */
	private static void rememberCorsHeaders(ServerWebExchange exchange) {
		HttpHeaders response = exchange.getResponse().getHeaders();
		HttpHeaders cors = null;
		for (String name : response.headerNames()) {
			if (name.regionMatches(true, 0, "Access-Control-", 0, 15) || name.equalsIgnoreCase(HttpHeaders.VARY)) {
				cors = (cors != null) ? cors : new HttpHeaders();
				cors.addAll(name, response.get(name));
			}
		}
		if (cors != null) {
			exchange.getAttributes().put(CORS_HEADERS_ATTR, cors);
		}
	}

	/**
	 * The client's login request with its body read ahead: the same bytes on every subscription (the gateway's
	 * {@code Retry} filter resubscribes), sent with a {@code Content-Length}, and without {@code Accept-Encoding}
	 * so that the user service's answer is readable here.
	 */
	private static final class BufferedRequest extends ServerHttpRequestDecorator {

		private final byte[] body;

		private final DataBufferFactory buffers;

		private final HttpHeaders headers;

		BufferedRequest(ServerHttpRequest request, byte[] body, DataBufferFactory buffers) {
			super(request);
			this.body = body;
			this.buffers = buffers;
			this.headers = new HttpHeaders();
			this.headers.addAll(request.getHeaders());
			this.headers.remove(HttpHeaders.ACCEPT_ENCODING);
			this.headers.remove(HttpHeaders.TRANSFER_ENCODING);
			this.headers.setContentLength(body.length);
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.defer(() -> Flux.just(this.buffers.wrap(this.body)));
		}

	}

	/** What the user service vouched for. */
	record Identity(String userId, List<String> roles) {
	}

	/** Names of the JSON fields read from the login body and from the user service's answer. */
	public static final class Config {

		private String userIdField = "userId";

		private String rolesField = "roles";

		private String usernameField = "username";

		/** JSON field of the login body naming the user (for audit and lock-out; never sent anywhere else). */
		public String getUsernameField() {
			return this.usernameField;
		}

		public void setUsernameField(String usernameField) {
			this.usernameField = usernameField;
		}

		/** JSON field holding the user id (a string). */
		public String getUserIdField() {
			return this.userIdField;
		}

		public void setUserIdField(String userIdField) {
			this.userIdField = userIdField;
		}

		/** JSON field holding the roles (an array of strings, optional). */
		public String getRolesField() {
			return this.rolesField;
		}

		public void setRolesField(String rolesField) {
			this.rolesField = rolesField;
		}

	}

}
