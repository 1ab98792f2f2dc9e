package dev.tollgate.routes.health;

import dev.tollgate.routes.session.RefreshTokenStore;
import reactor.core.publisher.Mono;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;

/**
 * The {@code tollgateStore} health component: whether the refresh-token store answers.
 * Login, refresh and logout need it; the access check does not, so it is not part of
 * readiness unless the operator puts it there
 * ({@code management.endpoint.health.group.readiness.include: readinessState,tollgateStore}).
 */
public final class StoreHealthIndicator implements ReactiveHealthIndicator {

	private final RefreshTokenStore store;

	private final String kind;

	public StoreHealthIndicator(RefreshTokenStore store, String kind) {
		this.store = store;
		this.kind = kind;
	}

	@Override
	public Mono<Health> health() {
		return this.store.ping()
			.then(Mono.fromSupplier(() -> Health.up().withDetail("store", this.kind).build()))
			.onErrorResume((ex) -> Mono.just(Health.down()
				.withDetail("store", this.kind)
				.withDetail("error", ex.getClass().getSimpleName())
				.build()));
	}

}
