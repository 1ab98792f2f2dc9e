package dev.tollgate.token.filter;

/**
 * Whether a login session has ended: what the access check asks, on every request (a
 * token from the validated-token cache included), of whatever keeps track of ended
 * sessions. Answered from memory: no store call on the request path. {@link #NONE} when
 * nothing keeps track (the token-filter library alone).
 */
@FunctionalInterface
public interface SessionRevocations {

	/** No session is ever revoked. */
	SessionRevocations NONE = (sessionId) -> false;

	/**
	 * Whether the session {@code sessionId} (an access token's {@code sid}) was ended.
	 */
	boolean isRevoked(String sessionId);

}
