package dev.tollgate.token.filter;

import org.springframework.cloud.gateway.filter.GatewayFilter;

/**
 * A route filter whose presence means its route never requires an access token, e.g. the
 * login route's {@code IssueTokens}. Lets {@link AccessTokenGlobalFilter} honour such
 * routes without knowing them.
 */
public interface TokenExemptFilter extends GatewayFilter {

}
