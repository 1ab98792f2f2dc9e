package dev.tollgate.routes.login;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.routes.http.StrictJson;
import dev.tollgate.token.jwt.ClaimRules;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Reads what the user service vouched for in a 2xx answer: a JSON object whose
 * {@code userIdField} is the user id (a string a token can carry as {@code sub}) and
 * whose {@code rolesField}, if present and not null, is an array of roles a token can
 * carry. Anything else is unusable: the login answers 502 rather than mint a token for
 * it.
 */
final class UserServiceAnswer {

	private UserServiceAnswer() {
	}

	/** The user id and roles in {@code answer}, or {@code null} when it is unusable. */
	static Identity identity(byte[] answer, String userIdField, String rolesField) {
		JsonNode root;
		try {
			root = StrictJson.MAPPER.readTree(answer);
		}
		catch (JacksonException ex) {
			return null;
		}
		if (root == null || !root.isObject()) {
			return null;
		}
		JsonNode userId = root.get(userIdField);
		if (userId == null || !userId.isString() || !ClaimRules.isValidSubject(userId.stringValue())) {
			return null;
		}
		List<String> roles = new ArrayList<>();
		JsonNode rolesNode = root.get(rolesField);
		if (rolesNode != null && !rolesNode.isNull()) {
			if (!rolesNode.isArray()) {
				return null;
			}
			for (JsonNode role : rolesNode) {
				if (!role.isString()) {
					return null;
				}
				roles.add(role.stringValue());
			}
			if (!ClaimRules.isValidRoles(roles)) {
				return null;
			}
		}
		return new Identity(userId.stringValue(), roles);
	}

	/**
	 * What the user service vouched for.
	 *
	 * @param userId the user id
	 * @param roles the roles, possibly none
	 */
	record Identity(String userId, List<String> roles) {

		Identity {
			roles = List.copyOf(roles);
		}

	}

}
