package dev.tollgate.routes.autoconfigure;

import dev.tollgate.token.autoconfigure.TokenProperties;
import dev.tollgate.token.jwt.SigningKeys;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/**
 * One line at start-up saying how Tollgate runs: algorithm, key ids (the signing key
 * first), store, issuer, audience and the paths of its endpoints. Never key material.
 */
final class StartupSummary implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog("tollgate");

	private final String line;

	StartupSummary(TokenProperties tokens, SigningKeys keys, StoreProperties store, EndpointsProperties endpoints) {
		this.line = "Tollgate: algorithm=" + keys.algorithm().id() + ", keys="
				+ (keys.algorithm().isSymmetric() ? "[shared secret]" : keys.keyIds().toString())
				+ (keys.isEphemeral() ? " (EPHEMERAL)" : "") + ", store=" + store.store() + ", issuer="
				+ tokens.issuer() + ", audience=" + tokens.audience() + ", refresh=" + endpoints.refreshPath()
				+ ", logout=" + endpoints.logoutPath() + ", sessions=" + endpoints.sessionsPath() + ", jwks="
				+ endpoints.jwksPath();
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		logger.info(this.line);
	}

	String line() {
		return this.line;
	}

}
