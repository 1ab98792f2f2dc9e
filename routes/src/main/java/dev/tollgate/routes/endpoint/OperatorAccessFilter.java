package dev.tollgate.routes.endpoint;

import java.util.List;
import java.util.Optional;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.firewall.RequestFirewall;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import reactor.core.publisher.Mono;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Lets a call to the operators' Actuator endpoint {@code tollgate} through only with an
 * operator credential: an access token of this gateway ({@code Authorization: Bearer},
 * RFC 6750 §2.1, or a DPoP-bound one as {@code Authorization: DPoP} with its proof, RFC
 * 9449 §7), verified like the access check at the edge (its session not ended, a bound
 * token never accepted as {@code Bearer}), carrying one of the operator roles. Otherwise
 * 401 (no or an invalid token, with the RFC 6750 §3 challenge) or 403
 * {@code insufficient_scope}, before the endpoint runs: a refused call changes nothing
 * and reveals nothing. The operator goes to the endpoint as an {@link Operator}.
 * <p>
 * Registered wherever Actuator's endpoints are served: the management server's own
 * context, or the main one when they share a port. Every other path passes untouched; the
 * path is matched as the endpoint's handler matches it (decoded, without path
 * parameters), so that no spelling of it slips past.
 */
public final class OperatorAccessFilter implements WebFilter, Ordered {

	/**
	 * Right after the request firewall and the endpoints' CORS (when they share the
	 * context), before any handler.
	 */
	public static final int ORDER = RequestFirewall.ORDER + 2;

	private final PathPattern endpoint;

	private final List<String> roles;

	private final AccessTokenAuthenticator authenticator;

	private final ProblemResponseWriter writer;

	/**
	 * @param endpointPath the endpoint's path, e.g. {@code /actuator/tollgate}
	 * @param roles the operator roles, any one of which lets a call through
	 * @param authenticator verifies the access token
	 * @param writer writes the refusals
	 */
	public OperatorAccessFilter(String endpointPath, List<String> roles, AccessTokenAuthenticator authenticator,
			ProblemResponseWriter writer) {
		this.endpoint = PathPatternParser.defaultInstance.parse(endpointPath + "/**");
		this.roles = List.copyOf(roles);
		this.authenticator = authenticator;
		this.writer = writer;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (!this.endpoint.matches(exchange.getRequest().getPath().pathWithinApplication())) {
			return chain.filter(exchange);
		}
		Mono<Optional<VerifiedAccessToken>> token = this.authenticator.authenticate(exchange.getRequest())
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty());
		return token
			.onErrorResume(TollgateErrorException.class,
					(ex) -> this.writer.write(exchange, ex.error()).then(Mono.empty()))
			.flatMap((verified) -> verified.isPresent() ? admit(exchange, chain, verified.get())
					: this.writer.write(exchange, TollgateErrors.missingToken()));
	}

	private Mono<Void> admit(ServerWebExchange exchange, WebFilterChain chain, VerifiedAccessToken token) {
		if (!token.hasAnyRole(this.roles)) {
			return this.writer.write(exchange, TollgateErrors.insufficientScope("operator role required"));
		}
		this.authenticator.addResponseNonce(token, exchange.getResponse().getHeaders());
		return chain.filter(exchange).contextWrite(new Operator(token.subject())::addTo);
	}

}
