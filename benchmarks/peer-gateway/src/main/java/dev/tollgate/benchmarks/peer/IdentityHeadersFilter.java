package dev.tollgate.benchmarks.peer;

import java.util.List;
import java.util.Locale;

import reactor.core.publisher.Mono;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;

/**
 * What Tollgate's access filter does after the check, written the way a team using Spring
 * Security would: removes every client-sent {@code X-User-*} header ({@code _} read as
 * {@code -}) and, for an authenticated request, adds {@code X-User-Id} ({@code sub}) and
 * {@code X-User-Roles} ({@code roles} joined by {@code ,}).
 */
@Component
class IdentityHeadersFilter implements GlobalFilter, Ordered {

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 100;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
		return exchange.getPrincipal()
			.filter(JwtAuthenticationToken.class::isInstance)
			.map((principal) -> identified(exchange, ((JwtAuthenticationToken) principal).getToken()))
			.switchIfEmpty(Mono.fromSupplier(() -> anonymous(exchange)))
			.flatMap(chain::filter);
	}

	private static ServerWebExchange identified(ServerWebExchange exchange, Jwt jwt) {
		List<String> roles = jwt.getClaimAsStringList("roles");
		return exchange.mutate().request((request) -> request.headers((headers) -> {
			stripIdentity(headers);
			headers.set("X-User-Id", jwt.getSubject());
			headers.set("X-User-Roles", (roles != null) ? String.join(",", roles) : "");
		})).build();
	}

	private static ServerWebExchange anonymous(ServerWebExchange exchange) {
		return exchange.mutate().request((request) -> request.headers(IdentityHeadersFilter::stripIdentity)).build();
	}

	private static void stripIdentity(HttpHeaders headers) {
		headers.headerNames().stream().filter(IdentityHeadersFilter::isIdentity).toList().forEach(headers::remove);
	}

	private static boolean isIdentity(String name) {
		return name.toLowerCase(Locale.ROOT).replace('_', '-').startsWith("x-user-");
	}

}
