package dev.tollgate.backend.security;

import java.nio.charset.StandardCharsets;

import org.springframework.security.core.AuthenticationException;

/**
 * The one place that says how a refused request is answered, for Spring MVC and WebFlux
 * alike: an RFC 9457 {@code application/problem+json} body with the extra member
 * {@code error}, {@code Cache-Control: no-store}, and for a 401 an RFC 6750 §3 style
 * challenge of the {@code Tollgate-Assertion} scheme, with the error code only when an
 * assertion was sent and refused (§3.1). Descriptions are fixed strings, never the
 * assertion or a stack trace.
 *
 * @param status the HTTP status
 * @param challenge the {@code WWW-Authenticate} value, or {@code null}
 * @param body the problem+json document
 */
public record AssertionProblem(int status, String challenge, byte[] body) {

	/** The media type of every answer here. */
	public static final String CONTENT_TYPE = "application/problem+json";

	/** The scheme of the challenge. */
	public static final String SCHEME = "Tollgate-Assertion";

	private static final String REALM = "tollgate";

	/**
	 * 401 for a request whose assertion was missing ({@code exception} of another type)
	 * or refused.
	 */
	public static AssertionProblem unauthorized(AuthenticationException exception) {
		String challenge = SCHEME + " realm=\"" + REALM + "\"";
		if (exception instanceof AssertionAuthenticationException) {
			String description = exception.getMessage();
			challenge += ", error=\"invalid_token\", error_description=\"" + description + "\"";
			return new AssertionProblem(401, challenge, body(401, "Unauthorized", description, "invalid_token"));
		}
		return new AssertionProblem(401, challenge, body(401, "Unauthorized", "assertion required", "invalid_token"));
	}

	/**
	 * 403 for an authenticated user that an authorization rule, e.g.
	 * {@code @PreAuthorize}, refused.
	 */
	public static AssertionProblem forbidden() {
		return new AssertionProblem(403, null, body(403, "Forbidden", "access denied", "access_denied"));
	}

	private static byte[] body(int status, String title, String detail, String error) {
		String json = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
				+ escape(detail) + "\",\"error\":\"" + error + "\"}";
		return json.getBytes(StandardCharsets.UTF_8);
	}

	/** Escapes a string for a JSON string literal (RFC 8259 §7). */
	static String escape(String value) {
		StringBuilder out = new StringBuilder(value.length() + 8);
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.toString();
	}

}
