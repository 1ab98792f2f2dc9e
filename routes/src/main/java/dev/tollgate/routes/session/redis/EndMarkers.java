package dev.tollgate.routes.session.redis;

import dev.tollgate.routes.session.EndedSessions;
import dev.tollgate.routes.session.StoreTimer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.ScanOptions;

/**
 * What this instance learns from Redis of the sessions other instances ended, into
 * {@link EndedSessions}: the end markers every end leaves ({@link RedisKeys#endMarker},
 * read with {@code SCAN}), and the messages every end publishes on
 * {@link RedisKeys#SESSION_END_CHANNEL} ({@code <session id> <refused until, epoch ms>}).
 */
final class EndMarkers {

	/**
	 * The store operation a load is timed as, so that a failed load shows as an error in
	 * the store metrics.
	 */
	static final String LOAD_OPERATION = "load_revocations";

	private static final Log logger = LogFactory.getLog(SessionEndSubscriber.class);

	private final ReactiveStringRedisTemplate redis;

	private final EndedSessions ended;

	private final StoreTimer timer;

	EndMarkers(ReactiveStringRedisTemplate redis, EndedSessions ended, StoreTimer timer) {
		this.redis = redis;
		this.ended = ended;
		this.timer = timer;
	}

	/**
	 * Reads every end marker into {@link EndedSessions}; completes with the number read.
	 */
	Mono<Long> load() {
		return this.timer.time(LOAD_OPERATION,
				this.redis.scan(ScanOptions.scanOptions().match(RedisKeys.SESSION_END_MARKERS).count(1000).build())
					.concatMap((key) -> this.redis.opsForValue().get(key).map((until) -> {
						this.ended.add(RedisKeys.sessionOfEndMarker(key), Long.parseLong(until));
						return key;
					}))
					.count()
					.doOnNext((count) -> logger.debug("Loaded " + count + " session revocations from Redis")));
	}

	/**
	 * Adds the ended session a message on the channel names; a malformed message is
	 * logged and ignored.
	 */
	void onMessage(String message) {
		int space = message.indexOf(' ');
		if (space > 0) {
			try {
				this.ended.add(message.substring(0, space), Long.parseLong(message.substring(space + 1)));
			}
			catch (NumberFormatException ex) {
				logger.warn("Ignoring a malformed session revocation message");
			}
		}
	}

}
