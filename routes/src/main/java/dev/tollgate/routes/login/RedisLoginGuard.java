package dev.tollgate.routes.login;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;

import dev.tollgate.routes.session.StoreTimer;
import dev.tollgate.routes.session.StoreUnavailableException;
import dev.tollgate.routes.session.redis.LuaScripts;
import io.lettuce.core.RedisException;
import reactor.core.publisher.Mono;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.ReactiveRedisOperations;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * {@link LoginGuard} in Redis, shared by every instance. An attempt touches four keys
 * around the hash tag of its address, so that one Lua script handles it on a Cluster too:
 * {@code tollgate:login:{address}:user:<user>} (a hash: failures, window end, lock end,
 * number of locks) and {@code tollgate:login:{address}:address} (the same for the
 * address), and an {@code :inflight} count beside each. Every write sets an expiry: a
 * pair is forgotten one window after its last failure or lock. Time is this instance's
 * {@link Clock}.
 */
public final class RedisLoginGuard implements LoginGuard {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ADMIT = LuaScripts.load("login_admit.lua");

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> END = LuaScripts.load("login_end.lua");

	private final ReactiveRedisOperations<String, String> redis;

	private final LoginLimits limits;

	private final Clock clock;

	private final Duration timeout;

	private final StoreTimer timer;

	public RedisLoginGuard(ReactiveRedisOperations<String, String> redis, LoginLimits limits, Clock clock,
			Duration timeout, StoreTimer timer) {
		this.redis = redis;
		this.limits = limits;
		this.clock = clock;
		this.timeout = timeout;
		this.timer = timer;
	}

	@Override
	public Mono<Admission> admit(LoginAttempt attempt) {
		return Mono
			.defer(() -> run("login_admit", ADMIT, attempt, Long.toString(this.clock.millis()),
					Integer.toString(this.limits.maxFailures()), Integer.toString(this.limits.maxFailuresPerAddress()),
					Long.toString(this.limits.inFlightMillis())))
			.map((result) -> switch (result.get(0)) {
				case "ADMITTED" -> Admission.ADMITTED;
				case "LOCKED" -> Admission.locked(Long.parseLong(result.get(1)));
				// as many attempts in flight as failures still allowed: wait for them to
				// be answered
				default -> Admission.locked(1000);
			});
	}

	@Override
	public Mono<Void> end(LoginAttempt attempt, Result result) {
		return Mono
			.defer(() -> run("login_end", END, attempt, result.name(), Long.toString(this.clock.millis()),
					Long.toString(this.limits.windowMillis()), Integer.toString(this.limits.maxFailures()),
					Integer.toString(this.limits.maxFailuresPerAddress()), Long.toString(this.limits.lockoutMillis()),
					Long.toString(this.limits.maxLockoutMillis())))
			.then();
	}

	private Mono<List<String>> run(String operation, @SuppressWarnings("rawtypes") RedisScript<List> script,
			LoginAttempt attempt, String... args) {
		String prefix = "tollgate:login:{" + LoginKeys.address(attempt) + "}:";
		String pair = prefix + "user:" + LoginKeys.user(attempt);
		String address = prefix + "address";
		List<String> keys = List.of(pair, pair + ":inflight", address, address + ":inflight");
		Mono<List<String>> reply = this.redis.execute(script, keys, Arrays.asList(args))
			.collect(ArrayList<String>::new, (list, element) -> {
				for (Object value : (List<?>) element) {
					list.add(String.valueOf(value));
				}
			})
			.map(List::copyOf);
		return this.timer.time(operation,
				reply.timeout(this.timeout)
					.onErrorMap(
							(ex) -> ex instanceof DataAccessException || ex instanceof RedisException
									|| ex instanceof TimeoutException,
							(ex) -> new StoreUnavailableException("Login store unavailable: " + ex.getMessage(), ex)));
	}

}
