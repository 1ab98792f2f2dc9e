package dev.tollgate.routes.session;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.store.RedisRefreshTokenStore;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Keeps {@link RevokedSessions} in step with the sessions every instance ends, for the Redis store: subscribes to the
 * revocations published on {@value RedisRefreshTokenStore#REVOCATION_CHANNEL}, and reloads the revocation markers
 * left in Redis (which outlive the sessions' last access tokens) when it starts and whenever a Redis connection is
 * established again, so that neither an instance started later nor one that was cut off misses a revocation. Also
 * forgets expired revocations every {@value #PURGE_SECONDS} seconds.
 */
public final class RevocationSubscriber implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(RevocationSubscriber.class);

	static final int PURGE_SECONDS = 30;

	static final int START_WAIT_SECONDS = 5;

	private final ReactiveStringRedisTemplate redis;

	private final ReactiveRedisMessageListenerContainer listeners;

	private final ClientResources clientResources;

	private final RevokedSessions revoked;

	private volatile Disposable.Composite running;

	public RevocationSubscriber(ReactiveStringRedisTemplate redis, ReactiveRedisMessageListenerContainer listeners,
			ClientResources clientResources, RevokedSessions revoked) {
		this.redis = redis;
		this.listeners = listeners;
		this.clientResources = clientResources;
		this.revoked = revoked;
	}

	/**
	 * Subscribes, then loads the markers, waiting up to {@value #START_WAIT_SECONDS} seconds for both so that the
	 * instance refuses the ended sessions' tokens before it serves its first request; when Redis cannot be reached
	 * yet, logs a warning and keeps trying in the background.
	 */
	@Override
	public void start() {
		Disposable.Composite subscriptions = Disposables.composite();
		Duration wait = Duration.ofSeconds(START_WAIT_SECONDS);
		Sinks.One<Void> subscribed = Sinks.one();
		SubscriptionListener listener = new SubscriptionListener() {
			@Override
			public void onChannelSubscribed(byte[] channel, long count) {
				subscribed.tryEmitEmpty();
			}
		};
		subscriptions.add(this.listeners.receive(List.of(ChannelTopic.of(RedisRefreshTokenStore.REVOCATION_CHANNEL)),
				listener)
			.doOnNext((message) -> onMessage(message.getMessage()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)))
			.subscribe());
		// subscribed first, loaded second: a revocation published in between is not missed
		Long loaded = subscribed.asMono()
			.then(reload())
			.timeout(wait)
			.onErrorResume((ex) -> {
				logger.warn("Could not load session revocations from Redis within " + wait
						+ "; access tokens of sessions ended meanwhile are accepted until it can (" + ex.getMessage()
						+ ")");
				return Mono.empty();
			})
			.block();
		if (loaded == null) {
			subscriptions.add(reload().retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
				.maxBackoff(Duration.ofSeconds(5))).subscribe());
		}
		if (this.clientResources != null) {
			// a connection (re)established, the pub/sub one included: messages may have been missed meanwhile
			subscriptions.add(this.clientResources.eventBus()
				.get()
				.filter(ConnectionActivatedEvent.class::isInstance)
				.sample(Duration.ofMillis(200))
				// a reload still running when the next sample fires (reconnects during a fail-over): keep the latest
				.onBackpressureLatest()
				.concatMap((event) -> reload().onErrorResume((ex) -> Mono.empty()))
				.subscribe());
		}
		subscriptions.add(Flux.interval(Duration.ofSeconds(PURGE_SECONDS)).subscribe((tick) -> this.revoked.purge()));
		this.running = subscriptions;
	}

	/** Reads every revocation marker into {@link RevokedSessions}; completes with the number read. */
	Mono<Long> reload() {
		return this.redis.scan(ScanOptions.scanOptions().match(RedisRefreshTokenStore.REVOCATION_MARKERS).count(1000).build())
			.concatMap((key) -> this.redis.opsForValue().get(key).map((until) -> {
				this.revoked.revoke(sessionId(key), Long.parseLong(until));
				return key;
			}))
			.count()
			.doOnNext((count) -> logger.debug("Loaded " + count + " session revocations from Redis"));
	}

	private void onMessage(String message) {
		int space = message.indexOf(' ');
		if (space > 0) {
			try {
				this.revoked.revoke(message.substring(0, space), Long.parseLong(message.substring(space + 1)));
			}
			catch (NumberFormatException ex) {
				logger.warn("Ignoring a malformed session revocation message");
			}
		}
	}

	/** {@code tollgate:rt:{id}:revoked} to {@code id}. */
	private static String sessionId(String key) {
		return key.substring(key.indexOf('{') + 1, key.lastIndexOf('}'));
	}

	@Override
	public void stop() {
		Disposable.Composite subscriptions = this.running;
		if (subscriptions != null) {
			subscriptions.dispose();
		}
		this.running = null;
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
