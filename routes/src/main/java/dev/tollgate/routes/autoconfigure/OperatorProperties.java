package dev.tollgate.routes.autoconfigure;

import java.util.List;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;
import dev.tollgate.token.jwt.ClaimRules;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operators' Actuator endpoint {@code tollgate} (list or end any user's sessions),
 * under {@code tollgate.operator}: only for an access token of this gateway carrying one
 * of these roles.
 *
 * @param roles Roles of which an access token must carry one to call the operators'
 * Actuator endpoint tollgate
 */
@ConfigurationProperties("tollgate.operator")
public record OperatorProperties(@DefaultValue("tollgate-operator") List<String> roles) {

	public OperatorProperties {
		roles = List.copyOf(roles);
		if (roles.isEmpty() || !roles.stream().allMatch(ClaimRules::isValidRole)) {
			throw new TollgateConfigurationException("tollgate.operator.roles", "is " + roles,
					"name at least one role a token can carry (1-64 printable ASCII characters, no space or "
							+ "comma), e.g. tollgate-operator");
		}
	}

}
