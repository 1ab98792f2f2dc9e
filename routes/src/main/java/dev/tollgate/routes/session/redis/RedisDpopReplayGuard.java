package dev.tollgate.routes.session.redis;

import java.time.Duration;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.token.dpop.DpopProof;
import dev.tollgate.token.dpop.DpopReplayGuard;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.ReactiveRedisOperations;

/**
 * The {@link DpopReplayGuard} every gateway instance shares (RFC 9449 §11.1): one
 * {@code SET key 1 NX PX ttl} per proof in the session store's Redis, under
 * {@link RedisKeys#dpopReplay}, timed as store operation {@code dpop_replay}. The first
 * instance to record a proof gets {@code true}; any instance that sees it again within
 * {@code ttl} (longer than any proof can be accepted, {@code DpopSettings.replayTtl()})
 * gets {@code false}.
 * <p>
 * A Redis that cannot be reached, or does not answer within the timeout, fails with
 * {@link StoreUnavailableException} (503 {@code temporarily_unavailable}), never
 * {@code true}: a proof is never taken as fresh unchecked. Entries are written to the
 * master alone, even with {@code tollgate.redis.wait-replicas}: a fail-over can lose the
 * entries of its last moments, which lets a proof written then be used once more within
 * its {@code iat} window; waiting for replicas would make every DPoP login and refresh
 * pay for that rare case.
 */
public final class RedisDpopReplayGuard implements DpopReplayGuard {

	/** The store operation name of the replay check, for the store's timer. */
	static final String OPERATION = "dpop_replay";

	private final StoreCommands commands;

	private final Duration ttl;

	/**
	 * @param redis the session store's Redis
	 * @param ttl how long a proof is remembered
	 * @param timeout the backstop on each check ({@code tollgate.redis.timeout})
	 * @param timer times each check as {@value #OPERATION}
	 */
	public RedisDpopReplayGuard(ReactiveRedisOperations<String, String> redis, Duration ttl, Duration timeout,
			StoreTimer timer) {
		this.commands = new StoreCommands(redis, timeout, timer, ReplicatedWrites.NONE);
		this.ttl = ttl;
	}

	@Override
	public Mono<Boolean> firstUse(DpopProof proof) {
		return this.commands
			.timed(OPERATION,
					Mono.defer(
							() -> this.commands.redis()
								.opsForValue()
								.setIfAbsent(RedisKeys.dpopReplay(proof.replayKey()), "1", this.ttl)
								.map(Boolean.TRUE::equals)
								.switchIfEmpty(Mono.error(() -> new StoreUnavailableException(
										"Refresh-token store unavailable: no answer to the DPoP replay check",
										null)))));
	}

	@Override
	public String toString() {
		return "RedisDpopReplayGuard[ttl=" + this.ttl + "]";
	}

}
