package dev.tollgate.routes.filter.ratelimit;

import java.net.InetSocketAddress;

import dev.tollgate.token.filter.AccessTokenGlobalFilter;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.ratelimit.KeyResolver;
import org.springframework.web.server.ServerWebExchange;

/**
 * The default key of {@code RequestRateLimiter} under Tollgate: {@code user:<sub>} for a request whose access
 * token was verified, else {@code addr:<client address>} (the login route, public routes). The gateway's own
 * default keys on a Spring Security principal, which Tollgate does not set, and would refuse every request.
 * The address is the connection's peer, never {@code X-Forwarded-For}, which a client can forge; behind a
 * proxy, configure the server's forwarded-header handling or supply your own {@link KeyResolver} bean.
 */
public final class UserOrAddressKeyResolver implements KeyResolver {

	@Override
	public Mono<String> resolve(ServerWebExchange exchange) {
		VerifiedAccessToken token = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		if (token != null) {
			return Mono.just("user:" + token.subject());
		}
		InetSocketAddress remote = exchange.getRequest().getRemoteAddress();
		if (remote == null || remote.getAddress() == null) {
			return Mono.empty();
		}
		return Mono.just("addr:" + remote.getAddress().getHostAddress());
	}

}
