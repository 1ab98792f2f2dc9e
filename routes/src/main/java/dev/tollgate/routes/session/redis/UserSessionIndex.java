package dev.tollgate.routes.session.redis;

import java.time.Duration;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.data.domain.Range;

/**
 * A user's sessions, listed in a sorted set ({@link RedisKeys#userIndex}; member: session
 * id; score: start). On a Cluster it lives in another slot than the sessions, so no
 * script can write both: it is written <em>before</em> a session starts and cleaned
 * <em>after</em> it ends, so that a crash between the two writes leaves a stale entry
 * (skipped and removed when listed), never a live session missing from it. Timed as store
 * operation {@code index}.
 */
final class UserSessionIndex {

	private static final String OPERATION = "index";

	private final StoreCommands commands;

	private final Duration maxLifetime;

	/**
	 * @param maxLifetime how long an index outlives its last write: a session's longest
	 * life
	 */
	UserSessionIndex(StoreCommands commands, Duration maxLifetime) {
		this.commands = commands;
		this.maxLifetime = maxLifetime;
	}

	/**
	 * Lists a session about to start; through the replicated writes when they are on, as
	 * the login waits for it.
	 */
	Mono<Boolean> add(String userId, String sessionId, long now) {
		String index = RedisKeys.userIndex(userId);
		ReplicatedWrites replicated = this.commands.replicated();
		return this.commands.timed(OPERATION,
				replicated.enabled()
						? replicated.write(index,
								(redis) -> redis.zadd(index, now, sessionId)
									.then(redis.pexpire(index, this.maxLifetime)))
						: this.commands.redis()
							.opsForZSet()
							.add(index, sessionId, now)
							.then(this.commands.redis().expire(index, this.maxLifetime)));
	}

	/** Every session id listed for {@code userId}, oldest first, stale ones included. */
	Flux<String> sessionIds(String userId) {
		String index = RedisKeys.userIndex(userId);
		return this.commands
			.timed(OPERATION, this.commands.redis().opsForZSet().range(index, Range.unbounded()).collectList())
			.flatMapMany(Flux::fromIterable);
	}

	/**
	 * The oldest session ids listed for {@code userId} beyond the newest {@code keep}.
	 */
	Flux<String> beyond(String userId, int keep) {
		String index = RedisKeys.userIndex(userId);
		return this.commands.timed(OPERATION, this.commands.redis().opsForZSet().size(index)).flatMapMany((count) -> {
			if (count <= keep) {
				return Flux.empty();
			}
			Range<Long> oldest = Range.closed(0L, count - keep - 1);
			return this.commands.timed(OPERATION, this.commands.redis().opsForZSet().range(index, oldest).collectList())
				.flatMapMany(Flux::fromIterable);
		});
	}

	/** Removes {@code sessionId} from the user's list. */
	Mono<Long> remove(String userId, String sessionId) {
		return this.commands.timed(OPERATION,
				this.commands.redis().opsForZSet().remove(RedisKeys.userIndex(userId), sessionId));
	}

}
