package dev.tollgate.routes.autoconfigure;

import java.util.Locale;

import dev.tollgate.routes.client.ClientAddressResolver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * One warning at start-up when Spring Boot handles forwarded headers (an explicit
 * {@code server.forward-headers-strategy} of {@code native} or {@code framework}, or a
 * cloud platform that turns it on by itself: Kubernetes, Cloud Foundry, Heroku, Azure App
 * Service...) while {@code tollgate.client-address.trusted-proxies} is 0. The application
 * then sees the left-most {@code X-Forwarded-For} as the remote address, which any client
 * writes; Tollgate does not ({@link ClientAddressResolver}): it keeps the connection's
 * peer, which behind an ingress or a load balancer is that proxy for every client, so
 * that one lock-out would lock out everybody behind it.
 */
public final class ForwardedHeadersWarning implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog("tollgate");

	private final String message;

	public ForwardedHeadersWarning(Environment environment, int trustedProxies) {
		String handling = (trustedProxies == 0) ? forwardedHandling(environment) : null;
		this.message = (handling != null) ? "Tollgate: Spring Boot handles forwarded headers (" + handling
				+ ") but tollgate.client-address.trusted-proxies is 0: login lock-outs, the address-prefix refresh "
				+ "binding, rate-limit keys and the audit log use the connection's peer address, never "
				+ "X-Forwarded-For or Forwarded. Behind an ingress or a load balancer that peer is the proxy for "
				+ "every client: set tollgate.client-address.trusted-proxies to the number of proxies that append "
				+ "to X-Forwarded-For (or Forwarded, see tollgate.client-address.forwarded-header)." : null;
	}

	/**
	 * What turns Spring Boot's forwarded-header handling on, or {@code null} when it is
	 * off.
	 */
	private static String forwardedHandling(Environment environment) {
		String strategy = Binder.get(environment).bind("server.forward-headers-strategy", String.class).orElse(null);
		if (strategy != null) {
			strategy = strategy.strip().toLowerCase(Locale.ROOT);
			return (strategy.equals("native") || strategy.equals("framework"))
					? "server.forward-headers-strategy=" + strategy : null;
		}
		CloudPlatform platform = CloudPlatform.getActive(environment);
		return (platform != null && platform.isUsingForwardHeaders())
				? "the " + platform.name().toLowerCase(Locale.ROOT) + " cloud platform turns it on" : null;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		if (this.message != null) {
			logger.warn(this.message);
		}
	}

	/** The warning, or {@code null} when there is nothing to warn of. */
	String message() {
		return this.message;
	}

}
