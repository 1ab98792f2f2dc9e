package dev.tollgate.routes.session.redis;

import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.StoreTimer;
import io.lettuce.core.event.connection.ConnectionActivatedEvent;
import io.lettuce.core.resource.ClientResources;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;

/**
 * Keeps {@link EndedSessions} in step with the sessions every instance ends, for the
 * Redis store: subscribes to the ends published on
 * {@value RedisKeys#SESSION_END_CHANNEL}, and reloads the end markers left in Redis
 * (which outlive the sessions' last access tokens) when it starts and whenever a Redis
 * connection is established again, so that neither an instance started later nor one that
 * was cut off misses an ended session. Also forgets the ended sessions whose access
 * tokens have all expired every {@value #PURGE_SECONDS} seconds.
 */
public final class SessionEndSubscriber implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(SessionEndSubscriber.class);

	static final int PURGE_SECONDS = 30;

	static final int START_WAIT_SECONDS = 5;

	private final EndMarkers markers;

	private final Supplier<ReactiveRedisMessageListenerContainer> listeners;

	private final Object lock = new Object();

	private ReactiveRedisMessageListenerContainer container;

	private final ClientResources clientResources;

	private final EndedSessions ended;

	private volatile Disposable.Composite running;

	private volatile boolean loaded;

	/**
	 * @param redis the template the markers are read with
	 * @param listeners makes the pub/sub listener container; it connects to Redis, so it
	 * is called off the caller's thread, again after a failure, and never stops start-up;
	 * the container is destroyed with this subscriber
	 * @param clientResources Lettuce's resources, whose events say when a connection is
	 * re-established; may be {@code null}
	 * @param ended the set to keep in step
	 * @param timer times each load of the markers
	 */
	public SessionEndSubscriber(ReactiveStringRedisTemplate redis,
			Supplier<ReactiveRedisMessageListenerContainer> listeners, ClientResources clientResources,
			EndedSessions ended, StoreTimer timer) {
		this.markers = new EndMarkers(redis, ended, timer);
		this.listeners = listeners;
		this.clientResources = clientResources;
		this.ended = ended;
	}

	/**
	 * Subscribes, then loads the markers, waiting up to {@value #START_WAIT_SECONDS}
	 * seconds for both so that the instance refuses the ended sessions' tokens before it
	 * serves its first request; when Redis cannot be reached yet, logs a warning and
	 * keeps trying in the background, and {@link #hasLoaded()} stays {@code false} (the
	 * instance is not ready) until a load succeeds.
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
		subscriptions.add(container()
			.flatMapMany(
					(container) -> container.receive(List.of(ChannelTopic.of(RedisKeys.SESSION_END_CHANNEL)), listener))
			.doOnNext((message) -> this.markers.onMessage(message.getMessage()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1)))
			.subscribe());
		// subscribed first, loaded second: an end published in between is not missed
		Long loaded = subscribed.asMono().then(reload()).timeout(wait).onErrorResume((ex) -> {
			logger.warn("Could not load session revocations from Redis within " + wait
					+ "; this instance reports itself not ready until it can (" + ex.getMessage() + ")");
			return Mono.empty();
		}).block();
		if (loaded == null) {
			subscriptions.add(reload()
				.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(5)))
				.subscribe());
		}
		if (this.clientResources != null) {
			// a connection (re)established, the pub/sub one included: messages may have
			// been missed meanwhile
			subscriptions.add(this.clientResources.eventBus()
				.get()
				.filter(ConnectionActivatedEvent.class::isInstance)
				.sample(Duration.ofMillis(200))
				// a reload still running when the next sample fires (reconnects during a
				// fail-over): keep the latest
				.onBackpressureLatest()
				.concatMap((event) -> reload().onErrorResume((ex) -> {
					logger.warn("Could not reload session revocations from Redis after a reconnection; revocations "
							+ "published while this instance was cut off are missed until the next one ("
							+ ex.getMessage() + ")");
					return Mono.empty();
				}))
				.subscribe());
		}
		subscriptions.add(Flux.interval(Duration.ofSeconds(PURGE_SECONDS)).subscribe((tick) -> this.ended.purge()));
		this.running = subscriptions;
	}

	/**
	 * Whether the end markers were read once since this instance started: until then it
	 * may accept an access token of a session ended while it was starting, so it is not
	 * ready.
	 */
	public boolean hasLoaded() {
		return this.loaded;
	}

	/**
	 * Reads every end marker into {@link EndedSessions} (see {@link EndMarkers});
	 * completes with the number read.
	 */
	Mono<Long> reload() {
		return this.markers.load().doOnNext((count) -> this.loaded = true);
	}

	/**
	 * The listener container, made on the first successful attempt: making one connects
	 * to Redis (blocking), which must run neither on an event loop nor on the starting
	 * thread when Redis is down.
	 */
	private Mono<ReactiveRedisMessageListenerContainer> container() {
		return Mono.fromCallable(() -> {
			synchronized (this.lock) {
				if (this.container == null) {
					this.container = this.listeners.get();
				}
				return this.container;
			}
		}).subscribeOn(Schedulers.boundedElastic());
	}

	@Override
	public void stop() {
		Disposable.Composite subscriptions = this.running;
		if (subscriptions != null) {
			subscriptions.dispose();
		}
		this.running = null;
		synchronized (this.lock) {
			if (this.container != null) {
				this.container.destroy();
				this.container = null;
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running != null;
	}

}
