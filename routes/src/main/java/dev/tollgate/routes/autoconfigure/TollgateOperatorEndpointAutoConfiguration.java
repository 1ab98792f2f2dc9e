package dev.tollgate.routes.autoconfigure;

import dev.tollgate.routes.endpoint.SessionsActuatorEndpoint;
import dev.tollgate.routes.observe.AuthEvents;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.token.autoconfigure.TollgateTokenAutoConfiguration;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.cloud.gateway.config.GatewayAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * The operators' Actuator endpoint {@code tollgate} (list or end any user's sessions),
 * when the application has Actuator and the endpoint is available (its access not
 * {@code none}, and exposed). The operator check in front of it is
 * {@link TollgateManagementContextConfiguration}'s. The bean can be replaced.
 */
@AutoConfiguration(after = TollgateTokenAutoConfiguration.class, before = GatewayAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "tollgate.enabled", matchIfMissing = true)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
public class TollgateOperatorEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(SessionsActuatorEndpoint.class)
	SessionsActuatorEndpoint tollgateSessionsActuatorEndpoint(RefreshTokenStore store, AuthEvents events) {
		return new SessionsActuatorEndpoint(store, events);
	}

}
