package dev.tollgate.routes.filter.factory;

import java.net.ConnectException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.audit.AuditLog;
import dev.tollgate.routes.store.RefreshTokenStore;
import dev.tollgate.routes.store.StoreUnavailableException;
import dev.tollgate.routes.token.StrictJson;
import dev.tollgate.routes.token.TokenResponses;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.TokenExemptFilter;
import dev.tollgate.token.jwt.ClaimRules;
import io.netty.handler.timeout.ReadTimeoutException;
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
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;

/**
 * {@code IssueTokens}: turns the login route's user-service answer into a token response. The route
 * forwards the client's credentials as usual; on a 2xx answer this filter reads {@code userId} (required)
 * and {@code roles} (optional) from the JSON, starts a session in the {@link RefreshTokenStore} and replaces
 * the whole response, headers included, with the token response. Nothing else of the user service's answer
 * reaches the client. 401/403 become 401 {@code invalid_credentials}, other 4xx 400 {@code invalid_request},
 * anything else or an unreachable service 502 {@code bad_gateway}, a timeout 504 {@code gateway_timeout}.
 * A route carrying this filter needs no access token.
 */
public final class IssueTokensGatewayFilterFactory
		extends AbstractGatewayFilterFactory<IssueTokensGatewayFilterFactory.Config> {

	/** Inside the response write, so that the body can be replaced (see NettyWriteResponseFilter). */
	public static final int ORDER = NettyWriteResponseFilter.WRITE_RESPONSE_FILTER_ORDER - 1;

	/** Largest user-service answer read; a login answer is a few hundred bytes. */
	static final int MAX_USER_RESPONSE_BYTES = 64 * 1024;

	private static final Log logger = LogFactory.getLog(IssueTokensGatewayFilterFactory.class);

	private final RefreshTokenStore store;

	private final TokenResponses responses;

	private final ProblemResponseWriter writer;

	private final AuditLog audit;

	public IssueTokensGatewayFilterFactory(RefreshTokenStore store, TokenResponses responses,
			ProblemResponseWriter writer, AuditLog audit) {
		super(Config.class);
		this.store = store;
		this.responses = responses;
		this.writer = writer;
		this.audit = audit;
	}

	@Override
	public List<String> shortcutFieldOrder() {
		return List.of("userIdField", "rolesField");
	}

	@Override
	public GatewayFilter apply(Config config) {
		return new IssueTokensFilter(config.getUserIdField(), config.getRolesField());
	}

	private final class IssueTokensFilter implements TokenExemptFilter, Ordered {

		private final String userIdField;

		private final String rolesField;

		IssueTokensFilter(String userIdField, String rolesField) {
			this.userIdField = userIdField;
			this.rolesField = rolesField;
		}

		@Override
		public int getOrder() {
			return ORDER;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
			// the answer must be readable here: ask the user service not to compress it
			ServerWebExchange login = exchange.mutate()
				.request((request) -> request.headers((headers) -> headers.remove(HttpHeaders.ACCEPT_ENCODING)))
				.response(new LoginResponse(exchange, this))
				.build();
			return chain.filter(login).onErrorResume((ex) -> fail(exchange, upstreamFailure(ex)));
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

		LoginResponse(ServerWebExchange exchange, IssueTokensFilter filter) {
			super(exchange.getResponse());
			this.exchange = exchange;
			this.filter = filter;
		}

		@Override
		public Mono<Void> writeWith(Publisher<? extends DataBuffer> body) {
			HttpStatusCode status = getStatusCode();
			if (status == null || !status.is2xxSuccessful()) {
				return Flux.from(body)
					.doOnNext(DataBufferUtils::release)
					.onErrorComplete()
					.then(Mono.defer(() -> fail(this.exchange, refusal(status))));
			}
			return DataBufferUtils.join(body, MAX_USER_RESPONSE_BYTES)
				.map(LoginResponse::bytes)
				.defaultIfEmpty(new byte[0])
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
			return IssueTokensGatewayFilterFactory.this.store.create(identity.userId(), identity.roles())
				.flatMap((refreshToken) -> {
					TokenResponses.TokenResponse response = IssueTokensGatewayFilterFactory.this.responses
						.create(refreshToken);
					IssueTokensGatewayFilterFactory.this.audit.loginSucceeded(identity.userId(),
							refreshToken.session().familyId());
					ServerHttpResponse delegate = getDelegate();
					delegate.setStatusCode(HttpStatus.OK);
					clearHeaders(delegate.getHeaders());
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

	private Mono<Void> fail(ServerWebExchange exchange, TollgateError error) {
		this.audit.loginFailed(error.code());
		clearHeaders(exchange.getResponse().getHeaders());
		return this.writer.write(exchange, error);
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

	private static TollgateError upstreamFailure(Throwable ex) {
		if (ex instanceof TimeoutException || ex instanceof ReadTimeoutException
				|| (ex instanceof ResponseStatusException status
						&& status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value())) {
			return TollgateErrors.gatewayTimeout("user service did not answer in time");
		}
		if (ex instanceof ConnectException || ex.getCause() instanceof ConnectException) {
			logger.warn("Login: user service unreachable: " + ex.getClass().getName());
		}
		else {
			logger.warn("Login: user service call failed: " + ex.getClass().getName() + ": " + ex.getMessage());
		}
		return TollgateErrors.badGateway("user service unreachable");
	}

	private static void clearHeaders(HttpHeaders headers) {
		List.copyOf(headers.headerNames()).forEach(headers::remove);
	}

	/** What the user service vouched for. */
	record Identity(String userId, List<String> roles) {
	}

	/** Names of the fields read from the user service's JSON answer. */
	public static final class Config {

		private String userIdField = "userId";

		private String rolesField = "roles";

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
