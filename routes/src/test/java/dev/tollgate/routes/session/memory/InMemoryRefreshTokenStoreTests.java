package dev.tollgate.routes.session.memory;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.session.IssuedRefreshToken;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.RefreshTokenStore;
import dev.tollgate.routes.session.RefreshTokenStoreContractTests;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.SessionEndListener;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreTimer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The store contract against {@link InMemoryRefreshTokenStore}, and its housekeeping. */
class InMemoryRefreshTokenStoreTests extends RefreshTokenStoreContractTests {

	@Override
	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock, SessionEndListener listener) {
		return new InMemoryRefreshTokenStore(new RefreshTokenCodec(), settings, clock, StoreTimer.NONE, listener);
	}

	@Test
	void createWhenSweepDueThenExpiredSessionsDroppedAndOthersWhenTouched() {
		Duration ttl = InMemoryRefreshTokenStore.SWEEP_INTERVAL.dividedBy(2);
		InMemoryRefreshTokenStore store = new InMemoryRefreshTokenStore(new RefreshTokenCodec(),
				settings(ttl, MAX_LIFETIME, Duration.ZERO), this.clock);
		IssuedRefreshToken alice = create(store, "alice", List.of());
		this.clock.advance(ttl);
		create(store, "bob", List.of());
		assertThat(store.size()).as("expired, no sweep due yet").isEqualTo(2);

		assertThat(rotate(store, alice.value()).outcome()).isEqualTo(Rotation.Outcome.INVALID);
		assertThat(store.size()).as("dropped when touched").isEqualTo(1);

		this.clock.advance(ttl);
		create(store, "carol", List.of());
		assertThat(store.size()).as("swept").isEqualTo(1);
	}

}
