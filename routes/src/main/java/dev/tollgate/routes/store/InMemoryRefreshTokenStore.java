package dev.tollgate.routes.store;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.tollgate.routes.config.RoutesProperties;
import dev.tollgate.routes.observe.StoreTimer;
import reactor.core.publisher.Mono;

/**
 * A {@link RefreshTokenStore} in this process: for a single gateway instance (demo, tests). Sessions die with the
 * process.
 * <p>
 * Each family is an immutable record in a {@link ConcurrentHashMap}; every operation is one
 * {@link ConcurrentHashMap#compute} on the family id, which makes it atomic per family exactly like the Redis
 * store's scripts. Expired families are dropped when touched, and by a sweep of the whole map at most once a
 * minute of clock time (run by {@link #create}), so memory stays bounded by the live sessions.
 */
public final class InMemoryRefreshTokenStore implements RefreshTokenStore {

	static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);

	private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();

	private final AtomicLong nextSweep = new AtomicLong();

	private final RefreshTokenCodec codec;

	private final long ttl;

	private final long maxLifetime;

	private final long reuseGrace;

	private final Clock clock;

	private final StoreTimer timer;

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock) {
		this(codec, settings, clock, StoreTimer.NONE);
	}

	public InMemoryRefreshTokenStore(RefreshTokenCodec codec, RoutesProperties.RefreshToken settings, Clock clock,
			StoreTimer timer) {
		this.timer = timer;
		this.codec = codec;
		this.ttl = settings.ttl().toMillis();
		this.maxLifetime = settings.maxLifetime().toMillis();
		this.reuseGrace = settings.reuseGrace().toMillis();
		this.clock = clock;
	}

	@Override
	public Mono<IssuedRefreshToken> create(String userId, List<String> roles) {
		return this.timer.time("create", Mono.fromCallable(() -> {
			Rotations.requireLogin(userId, roles);
			long now = this.clock.millis();
			sweepIfDue(now);
			RefreshTokenCodec.Minted first = this.codec.mintFamily();
			Session session = new Session(first.familyId(), userId, roles);
			long familyExpiresAt = now + this.maxLifetime;
			long expiresAt = Rotations.expiresAt(now, this.ttl, familyExpiresAt);
			Family family = new Family(session, familyExpiresAt, first.hash(), expiresAt, null, 0, null, Set.of());
			if (this.families.putIfAbsent(first.familyId(), family) != null) {
				throw new IllegalStateException("family id collision");
			}
			return Rotations.issued(first.value(), expiresAt, session);
		}));
	}

	@Override
	public Mono<Rotation> rotate(String presented) {
		return this.timer.time("rotate", Mono.fromCallable(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return Rotations.invalid();
			}
			String presentedHash = this.codec.hash(parsed.secret());
			RefreshTokenCodec.Minted successor = this.codec.mint(parsed.familyId());
			String sealed = this.codec.seal(parsed.secret(), parsed.familyId(), successor.value());
			long now = this.clock.millis();
			Rotation[] answer = { Rotations.invalid() };
			this.families.computeIfPresent(parsed.familyId(), (id, family) -> {
				if (family.currentExpiresAt() <= now) {
					return null;
				}
				if (presentedHash.equals(family.current())) {
					long expiresAt = Rotations.expiresAt(now, this.ttl, family.familyExpiresAt());
					answer[0] = Rotations.rotated(successor.value(), expiresAt, family.session());
					return family.rotatedTo(successor.hash(), expiresAt, now, sealed);
				}
				if (presentedHash.equals(family.previous()) && this.reuseGrace > 0
						&& now - family.rotatedAt() < this.reuseGrace) {
					answer[0] = Rotations.retried(this.codec, parsed, family.successor(), family.currentExpiresAt(),
							family.session());
					return family;
				}
				if (family.used().contains(presentedHash)) {
					answer[0] = Rotations.reused(family.session());
					return null;
				}
				return family;
			});
			return answer[0];
		}));
	}

	@Override
	public Mono<Session> revoke(String presented) {
		return this.timer.time("revoke", Mono.fromCallable(() -> {
			RefreshTokenCodec.Parsed parsed = this.codec.parse(presented);
			if (parsed == null) {
				return null;
			}
			String presentedHash = this.codec.hash(parsed.secret());
			long now = this.clock.millis();
			Session[] revoked = { null };
			this.families.computeIfPresent(parsed.familyId(), (id, family) -> {
				if (family.currentExpiresAt() <= now) {
					return null;
				}
				if (presentedHash.equals(family.current()) || family.used().contains(presentedHash)) {
					revoked[0] = family.session();
					return null;
				}
				return family;
			});
			return revoked[0];
		}));
	}

	@Override
	public Mono<Void> ping() {
		return Mono.empty();
	}

	/** The number of families held, expired or not; for tests. */
	int size() {
		return this.families.size();
	}

	private void sweepIfDue(long now) {
		long due = this.nextSweep.get();
		if (now >= due && this.nextSweep.compareAndSet(due, now + SWEEP_INTERVAL.toMillis())) {
			// removes an entry only if it still holds the record tested, so a concurrent rotation is never lost
			this.families.values().removeIf((family) -> family.currentExpiresAt() <= now);
		}
	}

	/**
	 * One login session, as the Redis store's family hash and used set.
	 *
	 * @param session user and roles
	 * @param familyExpiresAt absolute end of the session (epoch ms)
	 * @param current hash of the current token
	 * @param currentExpiresAt end of the current token (epoch ms); the family is dead after it
	 * @param previous hash of the immediate predecessor, or {@code null} before the first rotation
	 * @param rotatedAt when the predecessor was rotated (epoch ms)
	 * @param successor the current token sealed under the predecessor's secret
	 * @param used hashes of every token of the family already rotated
	 */
	private record Family(Session session, long familyExpiresAt, String current, long currentExpiresAt,
			String previous, long rotatedAt, String successor, Set<String> used) {

		Family rotatedTo(String next, long nextExpiresAt, long now, String sealedNext) {
			Set<String> rotated = new HashSet<>(this.used);
			rotated.add(this.current);
			return new Family(this.session, this.familyExpiresAt, next, nextExpiresAt, this.current, now, sealedNext,
					Set.copyOf(rotated));
		}

	}

}
