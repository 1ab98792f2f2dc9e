package dev.tollgate.routes.session;

import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import reactor.core.publisher.Mono;

/**
 * A store that cannot be reached: every operation fails with
 * {@link StoreUnavailableException}.
 */
public final class UnavailableStore implements RefreshTokenStore {

	private static <T> Mono<T> down() {
		return Mono.error(new StoreUnavailableException("down", null));
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles, ClientBinding binding,
			String keyThumbprint) {
		return down();
	}

	@Override
	public Mono<Rotation> rotate(String presented, ClientBinding binding, String keyThumbprint) {
		return down();
	}

	@Override
	public Mono<Logout> logout(String presented) {
		return down();
	}

	@Override
	public Mono<Logout> logoutAll(String presented) {
		return down();
	}

	@Override
	public Mono<List<SessionInfo>> sessions(String userId) {
		return down();
	}

	@Override
	public Mono<Boolean> end(String userId, String sessionId, String endedBy) {
		return down();
	}

	@Override
	public Mono<List<Session>> endAll(String userId, String endedBy) {
		return down();
	}

	@Override
	public Mono<Void> ping() {
		return down();
	}

}
