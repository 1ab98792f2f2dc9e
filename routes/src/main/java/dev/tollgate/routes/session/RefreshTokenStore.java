package dev.tollgate.routes.session;

import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import reactor.core.publisher.Mono;

/**
 * Where login sessions live. A session holds the user id and roles of a login, an
 * absolute end ({@code max-lifetime} after login) and the hash of its one current refresh
 * token, whose sliding lifetime ({@code ttl}) never passes the session's end. Its state
 * does not grow with the number of rotations (see {@link RefreshTokenCodec}). Tokens are
 * never stored in clear.
 * <p>
 * Every way a session ends (logout, reuse detection, {@code scope=all}, the user ending
 * one, an operator, {@code max-sessions-per-user}) goes through one operation that also
 * records the end, so that every gateway instance refuses the session's access tokens
 * from then on (see {@code EndedSessions}).
 * <p>
 * Implementations: {@code RedisRefreshTokenStore} (shared by all instances, Cluster-safe,
 * one Lua script per atomic operation) and {@code InMemoryRefreshTokenStore} (a single
 * instance). Both pass {@code RefreshTokenStoreContractTests}. Under any concurrency a
 * refresh token is consumed exactly once. A store that cannot be reached fails the
 * returned {@code Mono} with {@link StoreUnavailableException}. A refused connection
 * changes nothing; after a timeout the operation may or may not have run, which is why a
 * client may retry within {@code reuse-grace} and get the same successor.
 * <p>
 * A token is accepted only in its one canonical spelling: a token with any character
 * changed (its tag's included) is not the session's, and rotates, ends and marks nothing.
 * When a rotation ran but its answer never reached the client (the store answered after
 * the timeout, or too few replicas acknowledged it), the token the client still holds
 * stays retriable, whatever {@code reuse-grace} is, until the successor that rotation
 * made has been rotated (the Redis store; the memory store cannot lose an answer).
 */
public interface RefreshTokenStore {

	/**
	 * Starts a login session for {@code userId} and issues its first refresh token,
	 * recording a keyed hash of each of the client's {@code binding} values for refresh
	 * binding. When the user then has more than {@code max-sessions-per-user} sessions,
	 * the oldest end. A DPoP login (RFC 9449 §5) binds the session to its key: the
	 * session keeps {@code keyThumbprint}, and every refresh must prove that key.
	 * @param keyThumbprint the RFC 7638 thumbprint of the login's proof key; {@code null}
	 * for a bearer session
	 */
	Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding, String keyThumbprint);

	/** A bearer session: {@link #create(String, List, ClientBinding, String)}. */
	default Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding) {
		return create(userId, roles, binding, null);
	}

	/** {@link #create(String, List, ClientBinding)} with nothing to bind. */
	default Mono<IssuedRefreshToken> create(String userId, List<String> roles) {
		return create(userId, roles, ClientBinding.NONE);
	}

	/**
	 * Trades {@code presented} for its successor (RFC 9700 §4.14.2). The current token is
	 * consumed and a new one issued; the immediate predecessor within {@code reuse-grace}
	 * of its rotation, while its successor is still current, gets that same successor
	 * again ({@link Rotation.Outcome#RETRIED}); any other earlier token of the session
	 * ends the session ({@link Rotation.Outcome#REUSED}). The presenting client's
	 * {@code binding} values are compared with those recorded at login, in the same
	 * atomic step: under the {@code enforce} binding policy a mismatch ends the session
	 * instead ({@link Rotation.Outcome#BINDING_MISMATCH}); under {@code audit} the
	 * rotation goes ahead and reports the mismatch.
	 * <p>
	 * A session bound to a DPoP key rotates only for a refresh that proved that key
	 * ({@link Rotations#keyMatches}): otherwise nothing is consumed
	 * ({@link Rotation.Outcome#KEY_MISMATCH}), and under {@code enforce} the session ends
	 * as for a binding mismatch. A bearer session ignores {@code keyThumbprint} and stays
	 * bearer.
	 * @param keyThumbprint the thumbprint of the key the refresh's DPoP proof was signed
	 * with; {@code null} when it carried no proof
	 */
	Mono<Rotation> rotate(String presented, ClientBinding binding, String keyThumbprint);

	/** A refresh without a DPoP proof: {@link #rotate(String, ClientBinding, String)}. */
	default Mono<Rotation> rotate(String presented, ClientBinding binding) {
		return rotate(presented, binding, null);
	}

	/** {@link #rotate(String, ClientBinding)} without binding values. */
	default Mono<Rotation> rotate(String presented) {
		return rotate(presented, ClientBinding.NONE);
	}

	/**
	 * Logout: ends the session of {@code presented} if it is a token that session issued,
	 * in its one spelling. The session's own token (its current one, or a predecessor it
	 * may still retry) ends it as a logout; a spent one ends it as reuse
	 * ({@link Logout.Outcome#REUSED}), as at a refresh. Any other token ends nothing
	 * (logout is idempotent: {@link Logout.Outcome#UNKNOWN}).
	 */
	Mono<Logout> logout(String presented);

	/**
	 * Logout everywhere ({@code scope=all}): ends every session of the user of
	 * {@code presented}, if it is its session's own token. A spent token is reuse of its
	 * own session: that session ends, and no other ({@link Logout.Outcome#REUSED}):
	 * someone holding an old token must not be able to end a user's other sessions. Any
	 * other token ends nothing.
	 */
	Mono<Logout> logoutAll(String presented);

	/** The live sessions of {@code userId}, oldest first. */
	Mono<List<SessionInfo>> sessions(String userId);

	/**
	 * Ends the session {@code sessionId} if it is a live session of {@code userId};
	 * completes with whether it was.
	 * @param endedBy who ends it, for the audit: {@code user}, {@code operator}, or
	 * {@code operator:} and the operator's user id
	 */
	Mono<Boolean> end(String userId, String sessionId, String endedBy);

	/** Ends every live session of {@code userId}; completes with the ended sessions. */
	Mono<List<Session>> endAll(String userId, String endedBy);

	/**
	 * Completes when the store answers; fails with {@link StoreUnavailableException} when
	 * it cannot. For health.
	 */
	Mono<Void> ping();

}
