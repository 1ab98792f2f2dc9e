package dev.tollgate.routes.store;

import java.util.List;

import reactor.core.publisher.Mono;

/**
 * Where refresh-token families (login sessions) live. A family holds the user id and roles of a login, an
 * absolute end ({@code max-lifetime} after login) and the hash of its one current refresh token, whose
 * sliding lifetime ({@code ttl}) never passes the family's end. Tokens are never stored in clear.
 * <p>
 * Implementations: {@code RedisRefreshTokenStore} (shared by all instances, Cluster-safe, one Lua script per
 * operation) and {@code InMemoryRefreshTokenStore} (a single instance). Both pass
 * {@code RefreshTokenStoreContractTests}. Every operation is atomic: under any concurrency a refresh token is
 * consumed exactly once. A store that cannot be reached fails the returned {@code Mono} with
 * {@link StoreUnavailableException}. A refused connection changes nothing; after a timeout the operation may
 * or may not have run, which is why a client may retry within {@code reuse-grace} and get the same successor.
 */
public interface RefreshTokenStore {

	/** Starts a login session for {@code userId} and issues its first refresh token. */
	Mono<IssuedRefreshToken> create(String userId, List<String> roles);

	/**
	 * Trades {@code presented} for its successor (RFC 9700 §4.14.2). The current token is consumed and a new
	 * one issued; the immediate predecessor within {@code reuse-grace} of its rotation, while its successor is
	 * still current, gets that same successor again ({@link Rotation.Outcome#RETRIED}); any other earlier
	 * token of the family revokes the whole family ({@link Rotation.Outcome#REUSED}).
	 */
	Mono<Rotation> rotate(String presented);

	/** Completes when the store answers; fails with {@link StoreUnavailableException} when it cannot. For health. */
	Mono<Void> ping();

	/**
	 * Ends the session of {@code presented} if it is a token the family ever issued. Completes with the
	 * revoked session, or empty when the token is unknown (logout is idempotent).
	 */
	Mono<Session> revoke(String presented);

}
