package dev.tollgate.token.filter;

import java.util.List;
import java.util.function.Predicate;

import dev.tollgate.token.dpop.DpopHeader;
import dev.tollgate.token.firewall.HeaderNames;
import dev.tollgate.token.jwt.VerifiedAccessToken;

import org.springframework.cloud.gateway.filter.headers.HttpHeadersFilter;
import org.springframework.cloud.gateway.filter.headers.RemoveHopByHopHeadersFilter;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;

/**
 * The last word on the identity headers of a proxied request, applied to the headers as
 * they leave for the upstream (HTTP and WebSocket routes): every header read as
 * {@code X-User-*} is dropped, and for a request whose token
 * {@link AccessTokenGlobalFilter} verified, {@code X-User-Id} and {@code X-User-Roles}
 * are set from that token; the {@code DPoP} proof header is removed. With
 * {@link UpstreamAssertions}, the signed identity ({@code X-Tollgate-Assertion}) is
 * applied the same way. Runs after every other headers filter, the gateway's hop-by-hop
 * removal included, so neither a route filter nor a client's {@code Connection} header
 * can remove, add or change an identity header.
 */
public final class IdentityHeadersFilter implements HttpHeadersFilter, Ordered {

	/** After {@link RemoveHopByHopHeadersFilter} (lowest precedence - 1). */
	public static final int ORDER = Ordered.LOWEST_PRECEDENCE;

	@Override
	public int getOrder() {
		return ORDER;
	}

	/** The signed identity for backends, or {@code null} when assertions are off. */
	private final UpstreamAssertions assertions;

	/**
	 * The headers no client may send upstream: {@code X-User-*}, and the assertion's
	 * header when assertions are on; removed in one walk over the headers.
	 */
	private final Predicate<String> clientMayNotSend;

	/** Identity headers only, no assertion. */
	public IdentityHeadersFilter() {
		this(null);
	}

	/**
	 * @param assertions adds the signed identity for backends (see
	 * {@link UpstreamAssertions}); {@code null} for none
	 */
	public IdentityHeadersFilter(UpstreamAssertions assertions) {
		this.assertions = assertions;
		this.clientMayNotSend = (assertions != null)
				? (name) -> HeaderNames.isIdentity(name) || assertions.isAssertionHeader(name)
				: HeaderNames::isIdentity;
	}

	@Override
	public HttpHeaders filter(HttpHeaders input, ServerWebExchange exchange) {
		VerifiedAccessToken token = exchange.getAttribute(AccessTokenGlobalFilter.ACCESS_TOKEN_ATTR);
		Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
		// the headers filters before this one hand over a copy of their own; the
		// request's own are read-only
		HttpHeaders output = (input == exchange.getRequest().getHeaders()) ? copy(input) : input;
		try {
			apply(output, route, token);
		}
		catch (UnsupportedOperationException ex) {
			output = copy(input);
			apply(output, route, token);
		}
		return output;
	}

	private void apply(HttpHeaders headers, Route route, VerifiedAccessToken token) {
		applyIdentity(headers, token);
		if (this.assertions != null) {
			this.assertions.apply(headers, route, token);
		}
	}

	private void applyIdentity(HttpHeaders headers, VerifiedAccessToken token) {
		List<String> clientSent = HeaderNames.matching(headers, this.clientMayNotSend);
		if (clientSent != null) {
			clientSent.forEach(headers::remove);
		}
		// the proof is for the gateway alone (RFC 9449 §7): never forwarded
		headers.remove(DpopHeader.NAME);
		if (token != null) {
			headers.set(AccessTokenGlobalFilter.USER_ID_HEADER, token.subject());
			headers.set(AccessTokenGlobalFilter.USER_ROLES_HEADER, token.joinedRoles());
		}
	}

	private static HttpHeaders copy(HttpHeaders input) {
		HttpHeaders copy = new HttpHeaders();
		copy.addAll(input);
		return copy;
	}

}
