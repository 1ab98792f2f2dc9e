package dev.tollgate.routes.login;

import dev.tollgate.routes.http.StrictJson;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Who is trying to log in, as far as the gateway can tell before the user service
 * answers: the username the login body names (the JSON field {@code usernameField}, at
 * most {@value #MAX_USERNAME_LENGTH} characters, read from the body once) and the
 * client's address. Either may be {@code null}. Never the password.
 *
 * @param username the username the attempt names, or {@code null}
 * @param clientIp the client's address, or {@code null}
 */
public record LoginAttempt(String username, String clientIp) {

	/**
	 * Longest username kept; a longer one is cut (it is audit and lock-out data, not an
	 * identity).
	 */
	public static final int MAX_USERNAME_LENGTH = 256;

	/** The attempt of a login whose JSON body is {@code body}. */
	public static LoginAttempt of(byte[] body, String usernameField, String clientIp) {
		return new LoginAttempt(username(body, usernameField), clientIp);
	}

	private static String username(byte[] body, String field) {
		if (body.length == 0 || body[0] != '{') {
			return null;
		}
		JsonNode root;
		try {
			root = StrictJson.MAPPER.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		JsonNode username = (root != null) ? root.get(field) : null;
		if (username == null || !username.isString()) {
			return null;
		}
		String value = username.stringValue();
		return (value.length() > MAX_USERNAME_LENGTH) ? value.substring(0, MAX_USERNAME_LENGTH) : value;
	}

}
