package dev.tollgate.backend.support;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.tollgate.backend.assertion.TollgatePrincipal;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * What the test services' {@code /me} answers: what a controller sees of the user, both
 * ways.
 */
public final class IdentityView {

	private IdentityView() {
	}

	public static Map<String, Object> of(TollgatePrincipal principal, Authentication authentication) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("name", authentication.getName());
		view.put("authorities", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList());
		Map<String, Object> principalView = new LinkedHashMap<>();
		principalView.put("id", principal.id());
		principalView.put("roles", principal.roles());
		principalView.put("sessionId", principal.sessionId());
		view.put("principal", principalView);
		return view;
	}

}
