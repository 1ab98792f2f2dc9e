package dev.tollgate.routes.session;

import reactor.core.publisher.Mono;

/**
 * Times the refresh-token store's operations; both stores report through it.
 * {@link #NONE} without a Micrometer registry, the observability package's Micrometer
 * timer with one.
 */
public interface StoreTimer {

	/** Times nothing. */
	StoreTimer NONE = new StoreTimer() {
		@Override
		public <T> Mono<T> time(String operation, Mono<T> work) {
			return work;
		}
	};

	/**
	 * {@code work}, timed from subscription to its end as the store operation
	 * {@code operation}.
	 */
	<T> Mono<T> time(String operation, Mono<T> work);

}
