package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.endpoint.OperatorAccessFilter;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.filter.AccessTokenAuthenticator;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The operator check in front of the {@code tollgate} Actuator endpoint, in whichever
 * context serves Actuator's endpoints: the management server's own child context when
 * {@code management.server.port} differs from the server's (the main context's web
 * filters never see its requests), or the main context when they share a port. Registered
 * in {@code META-INF/spring/…ManagementContextConfiguration.imports}.
 */
@ManagementContextConfiguration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
public class TollgateManagementContextConfiguration {

	/** The endpoint's id, as {@code SessionsActuatorEndpoint} declares it. */
	private static final String ENDPOINT_ID = "tollgate";

	@Bean
	@ConditionalOnMissingBean
	OperatorAccessFilter tollgateOperatorAccessFilter(ObjectProvider<WebEndpointProperties> endpoints,
			OperatorProperties operator, AccessTokenAuthenticator authenticator, ProblemResponseWriter writer) {
		return new OperatorAccessFilter(endpointPath(endpoints.getIfAvailable(WebEndpointProperties::new)),
				operator.roles(), authenticator, writer);
	}

	/**
	 * The endpoint's path: {@code management.endpoints.web.base-path} (default
	 * {@code /actuator}) and the endpoint's path, its id unless
	 * {@code management.endpoints.web.path-mapping.tollgate} says otherwise.
	 */
	static String endpointPath(WebEndpointProperties endpoints) {
		String mapped = endpoints.getPathMapping().getOrDefault(ENDPOINT_ID, ENDPOINT_ID).replaceAll("^/+", "");
		String base = endpoints.getBasePath().replaceAll("/+$", "");
		return base + "/" + mapped;
	}

}
