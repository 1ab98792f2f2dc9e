package dev.tollgate.backend.security;

import java.util.List;

import dev.tollgate.backend.assertion.TollgatePrincipal;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The user of a request whose assertion was verified: named by the assertion's
 * {@code sub}, with the authority {@code ROLE_<role>} for each of its roles (so
 * {@code hasRole('admin')} reads the role {@code admin}), and the
 * {@link TollgatePrincipal} as principal for {@code @AuthenticationPrincipal}. Holds no
 * credentials: the assertion is not kept.
 */
public final class TollgateAuthentication extends AbstractAuthenticationToken {

	private static final long serialVersionUID = 1L;

	/** The prefix of role authorities, Spring Security's default for {@code hasRole}. */
	public static final String ROLE_PREFIX = "ROLE_";

	private final TollgatePrincipal principal;

	public TollgateAuthentication(TollgatePrincipal principal) {
		super(authorities(principal.roles()));
		this.principal = principal;
		setAuthenticated(true);
	}

	private static List<GrantedAuthority> authorities(List<String> roles) {
		return roles.stream().<GrantedAuthority>map((role) -> new SimpleGrantedAuthority(ROLE_PREFIX + role)).toList();
	}

	@Override
	public TollgatePrincipal getPrincipal() {
		return this.principal;
	}

	@Override
	public Object getCredentials() {
		return null;
	}

	@Override
	public String getName() {
		return this.principal.id();
	}

}
