package dev.tollgate.routes.filter;

import dev.tollgate.routes.client.ClientAddressResolver;
import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * The default key of {@code RequestRateLimiter} under Tollgate: {@code user:<sub>} for a
 * request whose access token was verified, else {@code addr:<client address>} (the login
 * route, public routes). The gateway's own default keys on a Spring Security principal,
 * which Tollgate does not set, and would refuse every request. The address is found as
 * everywhere in Tollgate ({@link ClientAddressResolver}): the connection's peer, whatever
 * Spring Boot's forwarded-header strategy is, unless
 * {@code tollgate.client-address.trusted-proxies} says how many proxies'
 * {@code X-Forwarded-For} (or {@code Forwarded}) entries to trust.
 */
public final class UserOrAddressKeyResolver implements KeyResolver {

	private final ClientAddressResolver clients;

	public UserOrAddressKeyResolver(ClientAddressResolver clients) {
		this.clients = clients;
	}

	@Override
	public Mono<String> resolve(ServerWebExchange exchange) {
		VerifiedAccessToken token = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		if (token != null) {
			return Mono.just("user:" + token.subject());
		}
		String address = this.clients.resolve(exchange.getRequest());
		return (address != null) ? Mono.just("addr:" + address) : Mono.empty();
	}

}
