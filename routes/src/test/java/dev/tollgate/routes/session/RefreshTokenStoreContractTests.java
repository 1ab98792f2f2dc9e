package dev.tollgate.routes.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.test.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The behaviour every {@link RefreshTokenStore} owes its callers (CONTRACT.md,
 * "Rotation"). Each implementation has a subclass that says how to build it; the cases
 * are the same.
 */
public abstract class RefreshTokenStoreContractTests {

	public static final Duration TTL = Duration.ofMinutes(10);

	public static final Duration MAX_LIFETIME = Duration.ofMinutes(25);

	public static final Duration GRACE = Duration.ofSeconds(5);

	private static final String TOKEN_SHAPE = "[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{70}";

	private static final Duration STEP_TIMEOUT = Duration.ofSeconds(10);

	protected final MutableClock clock = MutableClock.startingNow();

	/** Users of this test alone: the Redis stores of all the cases share one server. */
	protected final String alice = "alice-" + UUID.randomUUID();

	protected final String bob = "bob-" + UUID.randomUUID();

	protected final String mallory = "mallory-" + UUID.randomUUID();

	private RefreshTokenStore store;

	private RefreshTokenStore graceStore;

	/** Every session a store of this test ended, with why. */
	protected final List<String> ended = new CopyOnWriteArrayList<>();

	/**
	 * A store of the implementation under test, on shared state if it has any, telling
	 * {@code listener}.
	 */
	protected abstract RefreshTokenStore createStore(SessionSettings settings, Clock clock,
			SessionEndListener listener);

	protected RefreshTokenStore createStore(SessionSettings settings, Clock clock) {
		return createStore(settings, clock, (session, reason) -> this.ended.add(session.id() + " " + reason));
	}

	@BeforeEach
	void createStores() {
		this.store = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO), this.clock);
		this.graceStore = createStore(settings(TTL, MAX_LIFETIME, GRACE), this.clock);
	}

	public static SessionSettings settings(Duration ttl, Duration maxLifetime, Duration reuseGrace) {
		return settings(ttl, maxLifetime, reuseGrace, 50);
	}

	public static SessionSettings settings(Duration ttl, Duration maxLifetime, Duration reuseGrace,
			int maxSessionsPerUser) {
		return settings(ttl, maxLifetime, reuseGrace, maxSessionsPerUser, BindingSettings.OFF);
	}

	public static SessionSettings settings(Duration ttl, Duration maxLifetime, Duration reuseGrace,
			int maxSessionsPerUser, BindingSettings binding) {
		return new SessionSettings(ttl, maxLifetime, reuseGrace, maxSessionsPerUser, binding);
	}

	/**
	 * A token of {@code sessionId} its session never issued: right shape, generation, but
	 * a tag of another key.
	 */
	public static String forged(String sessionId, int generation) {
		RefreshTokenCodec codec = new RefreshTokenCodec();
		return codec.token(codec.draft(sessionId, generation), codec.newTagKey());
	}

	/** A well-formed token of a session that does not exist. */
	public static String unknownToken() {
		RefreshTokenCodec codec = new RefreshTokenCodec();
		return codec.token(codec.draft(codec.newSessionId(), 0), codec.newTagKey());
	}

	@Test
	void createThenTokenCarriesSessionIdAndSecretAndExpiresAfterTtl() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of("user", "admin"));

		assertThat(token.value()).matches(TOKEN_SHAPE).startsWith(token.session().id() + ".");
		assertThat(token.session()).isEqualTo(new Session(token.session().id(), this.alice, List.of("user", "admin")));
		assertThat(token.expiresAt()).isEqualTo(this.clock.instant().plus(TTL));
	}

	@Test
	void createTwiceThenDistinctSessionsAndTokens() {
		IssuedRefreshToken first = create(this.store, this.alice, List.of());
		IssuedRefreshToken second = create(this.store, this.alice, List.of());

		assertThat(second.session().id()).isNotEqualTo(first.session().id());
		assertThat(second.value()).isNotEqualTo(first.value());
	}

	@Test
	void createWhenTtlLongerThanMaxLifetimeThenFirstTokenEndsWithSession() {
		RefreshTokenStore shortSessions = createStore(settings(TTL, Duration.ofMinutes(3), Duration.ZERO), this.clock);

		IssuedRefreshToken token = create(shortSessions, this.alice, List.of());

		assertThat(token.expiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofMinutes(3)));
	}

	@Test
	void createWhenRoleCannotBeStoredThenError() {
		StepVerifier.create(this.store.create(this.alice, List.of("a\nb")))
			.expectError(IllegalArgumentException.class)
			.verify(STEP_TIMEOUT);
		StepVerifier.create(this.store.create("", List.of()))
			.expectError(IllegalArgumentException.class)
			.verify(STEP_TIMEOUT);
	}

	@Test
	void rotateWhenCurrentThenRotatedWithNewTokenOfSameSession() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of("user"));
		this.clock.advance(Duration.ofMinutes(1));

		Rotation rotation = rotate(this.store, token.value());

		assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotation.granted()).isTrue();
		assertThat(rotation.session()).isEqualTo(token.session());
		assertThat(rotation.token().session()).isEqualTo(token.session());
		assertThat(rotation.token().value()).matches(TOKEN_SHAPE)
			.startsWith(token.session().id() + ".")
			.isNotEqualTo(token.value());
		assertThat(rotation.token().expiresAt()).isEqualTo(this.clock.instant().plus(TTL));
	}

	@Test
	void rotateWhenSuccessorPresentedThenRotatedAgain() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());

		Rotation first = rotate(this.store, token.value());
		Rotation second = rotate(this.store, first.token().value());

		assertThat(second.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(second.token().value()).isNotIn(token.value(), first.token().value());
	}

	@Test
	void rotateWhenAlreadyRotatedThenReusedAndNewestTokenInvalid() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of("user"));
		Rotation rotation = rotate(this.store, token.value());

		Rotation reuse = rotate(this.store, token.value());

		assertThat(reuse.outcome()).isEqualTo(Outcome.REUSED);
		assertThat(reuse.granted()).isFalse();
		assertThat(reuse.token()).isNull();
		assertThat(reuse.session()).isEqualTo(token.session());
		assertThat(rotate(this.store, rotation.token().value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenOlderTokenReusedThenSessionEnded() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		Rotation first = rotate(this.store, token.value());
		Rotation second = rotate(this.store, first.token().value());

		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(rotate(this.store, second.token().value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenReuseInOneSessionThenOtherSessionsUntouched() {
		IssuedRefreshToken victim = create(this.store, this.alice, List.of());
		IssuedRefreshToken bystander = create(this.store, this.alice, List.of());
		rotate(this.store, victim.value());

		assertThat(rotate(this.store, victim.value()).outcome()).isEqualTo(Outcome.REUSED);

		assertThat(rotate(this.store, bystander.value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenIdleJustUnderTtlThenRotatedAndLifetimeSlides() {
		RefreshTokenStore longSessions = createStore(settings(TTL, Duration.ofDays(1), Duration.ZERO), this.clock);
		IssuedRefreshToken token = create(longSessions, this.alice, List.of());
		this.clock.advance(TTL.minusMillis(1));
		Rotation first = rotate(longSessions, token.value());
		assertThat(first.outcome()).isEqualTo(Outcome.ROTATED);

		// past the first token's end, within the successor's
		this.clock.advance(TTL.minusMillis(1));
		Rotation second = rotate(longSessions, first.token().value());

		assertThat(second.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(second.token().expiresAt()).isEqualTo(this.clock.instant().plus(TTL));
	}

	@Test
	void rotateWhenIdleForTtlThenInvalid() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		this.clock.advance(TTL);

		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenSessionNearItsEndThenSuccessorCappedAndInvalidAfterEnd() {
		Instant login = this.clock.instant();
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		this.clock.advance(Duration.ofMinutes(9));
		Rotation first = rotate(this.store, token.value());
		this.clock.advance(Duration.ofMinutes(9));
		Rotation second = rotate(this.store, first.token().value());
		this.clock.advance(Duration.ofMinutes(6));
		Rotation third = rotate(this.store, second.token().value());

		assertThat(first.token().expiresAt()).isEqualTo(login.plus(Duration.ofMinutes(19)));
		assertThat(second.token().expiresAt()).isEqualTo(login.plus(MAX_LIFETIME));
		assertThat(third.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(third.token().expiresAt()).isEqualTo(login.plus(MAX_LIFETIME));

		this.clock.advance(Duration.ofMinutes(1));
		assertThat(rotate(this.store, third.token().value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenPredecessorRetriedWithinGraceThenSameSuccessorAgain() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of("user"));
		Rotation rotation = rotate(this.graceStore, token.value());
		this.clock.advance(GRACE.minusMillis(1));

		Rotation retry = rotate(this.graceStore, token.value());

		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(retry.granted()).isTrue();
		assertThat(retry.token().value()).isEqualTo(rotation.token().value());
		assertThat(retry.token().expiresAt()).isEqualTo(rotation.token().expiresAt());
		assertThat(retry.session()).isEqualTo(token.session());
		assertThat(rotate(this.graceStore, token.value()).outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(rotate(this.graceStore, rotation.token().value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenPredecessorRetriedAfterGraceThenReused() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());
		Rotation rotation = rotate(this.graceStore, token.value());
		this.clock.advance(GRACE);

		Rotation retry = rotate(this.graceStore, token.value());

		assertThat(retry.outcome()).isEqualTo(Outcome.REUSED);
		assertThat(retry.session()).isEqualTo(token.session());
		assertThat(rotate(this.graceStore, rotation.token().value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenSuccessorAlreadyRotatedThenPredecessorReusedEvenWithinGrace() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());
		Rotation first = rotate(this.graceStore, token.value());
		Rotation second = rotate(this.graceStore, first.token().value());

		assertThat(rotate(this.graceStore, token.value()).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(rotate(this.graceStore, second.token().value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void rotateWhenImmediatePredecessorOfRotatedSuccessorRetriedWithinGraceThenRetried() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());
		Rotation first = rotate(this.graceStore, token.value());
		Rotation second = rotate(this.graceStore, first.token().value());

		Rotation retry = rotate(this.graceStore, first.token().value());

		assertThat(retry.outcome()).isEqualTo(Outcome.RETRIED);
		assertThat(retry.token().value()).isEqualTo(second.token().value());
	}

	@Test
	void rotateWhenForgedTokenNamesARealSessionThenInvalidAndTheSessionLivesOn() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		Rotation first = rotate(this.store, token.value());
		Rotation second = rotate(this.store, first.token().value());

		// an earlier generation (what reuse looks like), the current one, and a later
		// one: none is the session's
		for (int generation : new int[] { 0, 1, 2, 3 }) {
			String forged = forged(token.session().id(), generation);
			assertThat(rotate(this.store, forged).outcome()).as("generation " + generation).isEqualTo(Outcome.INVALID);
			assertThat(this.store.logout(forged).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
			assertThat(this.store.logoutAll(forged).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
		}

		assertThat(rotate(this.store, second.token().value()).outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(this.ended).isEmpty();
	}

	@Test
	void rotateWhenAnyEarlierTokenOfALongSessionReturnsThenReused() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		List<String> issued = new java.util.ArrayList<>(List.of(token.value()));
		for (int i = 0; i < 50; i++) {
			issued.add(rotate(this.store, issued.get(issued.size() - 1)).token().value());
		}

		assertThat(rotate(this.store, issued.get(17)).outcome()).isEqualTo(Outcome.REUSED);
		assertThat(rotate(this.store, issued.get(issued.size() - 1)).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(this.ended).containsExactly(token.session().id() + " reuse");
	}

	// ---- one token, one spelling

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	/**
	 * {@code token} with the character at {@code index} replaced by the next one of the
	 * base64url alphabet.
	 */
	public static String changedAt(String token, int index) {
		char next = BASE64URL.charAt((BASE64URL.indexOf(token.charAt(index)) + 1) % BASE64URL.length());
		return token.substring(0, index) + next + token.substring(index + 1);
	}

	/**
	 * Every token that differs from {@code token} in one character: in the family id, the
	 * dot, the generation, the nonce and the tag; and the same bytes spelled otherwise (a
	 * last character whose unused low bits are set).
	 */
	public static List<String> alterations(String token) {
		List<String> altered = new java.util.ArrayList<>();
		for (int i = 0; i < token.length(); i++) {
			altered.add(changedAt(token, i));
		}
		int last = BASE64URL.indexOf(token.charAt(token.length() - 1));
		altered.add(token.substring(0, token.length() - 1) + BASE64URL.charAt(last ^ 1));
		return altered;
	}

	@Test
	void rotateWhenCurrentTokenChangedInAnyOneCharacterThenInvalidAndTheOwnersTokenStillRotates() {
		for (RefreshTokenStore store : List.of(this.store, this.graceStore)) {
			IssuedRefreshToken token = create(store, this.alice, List.of());
			String current = rotate(store, token.value()).token().value();

			for (String altered : alterations(current)) {
				Rotation rotation = rotate(store, altered);
				assertThat(rotation.outcome()).as(altered).isEqualTo(Outcome.INVALID);
				assertThat(rotation.token()).isNull();
			}

			assertThat(this.ended).isEmpty();
			assertThat(rotate(store, current).outcome()).isEqualTo(Outcome.ROTATED);
		}
	}

	@Test
	void rotateWhenAlteredCopyOfTheCurrentTokenComesFirstWithGraceThenNoSuccessorAndTheOwnerRotates() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());
		String tagChanged = changedAt(token.value(), token.value().length() - 2);

		assertThat(rotate(this.graceStore, tagChanged).outcome()).isEqualTo(Outcome.INVALID);

		Rotation owner = rotate(this.graceStore, token.value());
		assertThat(owner.outcome()).isEqualTo(Outcome.ROTATED);
		// a retry of the owner's token within grace: the owner's own successor, and only
		// that
		assertThat(rotate(this.graceStore, token.value()).token().value()).isEqualTo(owner.token().value());
		assertThat(rotate(this.graceStore, owner.token().value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenAlteredCopyOfARotatedTokenWithinGraceThenNoSuccessorAndNothingEnds() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());
		Rotation owner = rotate(this.graceStore, token.value());

		for (String altered : alterations(token.value())) {
			Rotation rotation = rotate(this.graceStore, altered);
			assertThat(rotation.outcome()).as(altered).isEqualTo(Outcome.INVALID);
			assertThat(rotation.token()).isNull();
		}

		assertThat(this.ended).isEmpty();
		assertThat(rotate(this.graceStore, owner.token().value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenAlteredCopyOfAnEarlierTokenThenInvalidAndNothingEnds() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		Rotation first = rotate(this.store, token.value());
		Rotation second = rotate(this.store, first.token().value());

		for (String altered : alterations(token.value())) {
			assertThat(rotate(this.store, altered).outcome()).as(altered).isEqualTo(Outcome.INVALID);
		}

		assertThat(this.ended).isEmpty();
		assertThat(rotate(this.store, second.token().value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	public static List<String> malformedTokens() {
		String valid = unknownToken();
		return List.of("", " ", ".", "no-dot", valid.replace('.', '-'), valid + ".x", valid.substring(1), valid + "A",
				" " + valid, valid + "\n", valid.substring(0, 23) + "!" + valid.substring(24),
				"!".repeat(22) + "." + "A".repeat(70), "A".repeat(22) + "." + "A".repeat(69) + "B",
				"ä".repeat(22) + "." + "A".repeat(70), "A".repeat(22) + "." + "_".repeat(70), valid.repeat(1000),
				"x".repeat(100_000));
	}

	@ParameterizedTest
	@MethodSource("malformedTokens")
	void rotateWhenMalformedThenInvalid(String token) {
		StepVerifier.create(this.store.rotate(token)).assertNext((rotation) -> {
			assertThat(rotation.outcome()).isEqualTo(Outcome.INVALID);
			assertThat(rotation.token()).isNull();
			assertThat(rotation.session()).isNull();
		}).expectComplete().verify(STEP_TIMEOUT);
		StepVerifier.create(this.store.logout(token))
			.expectNext(Logout.unknown())
			.expectComplete()
			.verify(STEP_TIMEOUT);
	}

	@Test
	void rotateWhenNullThenInvalid() {
		assertThat(rotate(this.store, null).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void logoutWhenCurrentThenSessionReturnedAndTokenInvalid() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of("user"));

		StepVerifier.create(this.store.logout(token.value()))
			.expectNext(new Logout(Logout.Outcome.LOGGED_OUT, List.of(token.session())))
			.expectComplete()
			.verify(STEP_TIMEOUT);

		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(this.store.logout(token.value()).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
	}

	@Test
	void logoutWhenRotatedTokenThenReuseAndSessionEnded() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		Rotation rotation = rotate(this.store, token.value());

		StepVerifier.create(this.store.logout(token.value()))
			.expectNext(new Logout(Logout.Outcome.REUSED, List.of(token.session())))
			.expectComplete()
			.verify(STEP_TIMEOUT);

		assertThat(rotate(this.store, rotation.token().value()).outcome()).isEqualTo(Outcome.INVALID);
	}

	@Test
	void logoutWhenUnknownThenUnknown() {
		assertThat(this.store.logout(unknownToken()).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
		assertThat(this.store.logoutAll(unknownToken()).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
	}

	@Test
	void logoutWhenCurrentThenListenerToldOnceWithLogout() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		this.store.logout(token.value()).block(STEP_TIMEOUT);
		this.store.logout(token.value()).block(STEP_TIMEOUT);

		assertThat(this.ended).containsExactly(token.session().id() + " logout");
	}

	// ---- listing and ending a user's sessions

	@Test
	void sessionsWhenUserLoggedInTwiceThenBothOldestFirstWithTimes() {
		Instant login = this.clock.instant();
		IssuedRefreshToken first = create(this.store, this.alice, List.of());
		this.clock.advance(Duration.ofSeconds(5));
		IssuedRefreshToken second = create(this.store, this.alice, List.of());
		create(this.store, this.bob, List.of());
		this.clock.advance(Duration.ofSeconds(5));
		Rotation rotated = rotate(this.store, second.value());

		List<SessionInfo> sessions = sessions(this.store, this.alice);

		assertThat(sessions).extracting(SessionInfo::id).containsExactly(first.session().id(), second.session().id());
		assertThat(sessions.get(0).createdAt()).isEqualTo(login);
		assertThat(sessions.get(0).lastRefreshedAt()).isEqualTo(login);
		assertThat(sessions.get(0).expiresAt()).isEqualTo(first.expiresAt());
		assertThat(sessions.get(1).lastRefreshedAt()).isEqualTo(this.clock.instant());
		assertThat(sessions.get(1).expiresAt()).isEqualTo(rotated.token().expiresAt());
	}

	@Test
	void sessionsWhenOneEndedOrExpiredThenOnlyLiveOnesListed() {
		IssuedRefreshToken ended = create(this.store, this.alice, List.of());
		this.clock.advance(Duration.ofMinutes(5));
		IssuedRefreshToken live = create(this.store, this.alice, List.of());
		this.store.logout(ended.value()).block(STEP_TIMEOUT);
		assertThat(sessions(this.store, this.alice)).extracting(SessionInfo::id).containsExactly(live.session().id());

		this.clock.advance(TTL);
		assertThat(sessions(this.store, this.alice)).isEmpty();
	}

	@Test
	void endWhenOwnSessionThenEndedAndItsTokensInvalid() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());

		assertThat(this.store.end(this.alice, token.session().id(), "user").block(STEP_TIMEOUT)).isTrue();

		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(this.store.end(this.alice, token.session().id(), "user").block(STEP_TIMEOUT)).isFalse();
		assertThat(this.ended).containsExactly(token.session().id() + " user");
	}

	@Test
	void endWhenSomeoneElsesSessionThenNotEndedAndStillWorks() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());

		assertThat(this.store.end(this.mallory, token.session().id(), "user").block(STEP_TIMEOUT)).isFalse();

		assertThat(rotate(this.store, token.value()).outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(this.ended).isEmpty();
	}

	@Test
	void logoutAllWhenAnyTokenOfTheUserThenEverySessionOfTheUserEndsAndOthersLive() {
		IssuedRefreshToken phone = create(this.store, this.alice, List.of());
		IssuedRefreshToken laptop = create(this.store, this.alice, List.of());
		IssuedRefreshToken bob = create(this.store, this.bob, List.of());
		Rotation rotated = rotate(this.store, phone.value());

		Logout logout = this.store.logoutAll(rotated.token().value()).block(STEP_TIMEOUT);

		assertThat(logout.outcome()).isEqualTo(Logout.Outcome.LOGGED_OUT);
		assertThat(logout.ended()).extracting(Session::id)
			.containsExactlyInAnyOrder(phone.session().id(), laptop.session().id());
		assertThat(rotate(this.store, laptop.value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(rotate(this.store, bob.value()).outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(sessions(this.store, this.alice)).isEmpty();
	}

	@Test
	void logoutAllWhenSpentTokenThenOnlyItsSessionEndsAsReuseAndTheUsersOtherSessionsLive() {
		IssuedRefreshToken phone = create(this.store, this.alice, List.of());
		IssuedRefreshToken laptop = create(this.store, this.alice, List.of());
		Rotation rotated = rotate(this.store, phone.value());

		Logout logout = this.store.logoutAll(phone.value()).block(STEP_TIMEOUT);

		assertThat(logout).isEqualTo(new Logout(Logout.Outcome.REUSED, List.of(phone.session())));
		assertThat(this.ended).containsExactly(phone.session().id() + " reuse");
		assertThat(rotate(this.store, rotated.token().value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(rotate(this.store, laptop.value()).outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(sessions(this.store, this.alice)).extracting(SessionInfo::id).containsExactly(laptop.session().id());
	}

	@Test
	void logoutWhenSpentTokenThenItsSessionEndsAsReuse() {
		IssuedRefreshToken phone = create(this.store, this.alice, List.of());
		IssuedRefreshToken laptop = create(this.store, this.alice, List.of());
		Rotation first = rotate(this.store, phone.value());
		rotate(this.store, first.token().value());

		Logout logout = this.store.logout(phone.value()).block(STEP_TIMEOUT);

		assertThat(logout).isEqualTo(new Logout(Logout.Outcome.REUSED, List.of(phone.session())));
		assertThat(this.ended).containsExactly(phone.session().id() + " reuse");
		assertThat(rotate(this.store, laptop.value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void logoutAllWhenPredecessorRetriableWithinGraceThenEverySessionOfTheUserEnds() {
		IssuedRefreshToken phone = create(this.graceStore, this.alice, List.of());
		IssuedRefreshToken laptop = create(this.graceStore, this.alice, List.of());
		rotate(this.graceStore, phone.value());

		// the client may not have received the successor yet: its token is still its own,
		// not a spent one
		Logout logout = this.graceStore.logoutAll(phone.value()).block(STEP_TIMEOUT);

		assertThat(logout.outcome()).isEqualTo(Logout.Outcome.LOGGED_OUT);
		assertThat(this.ended).containsExactlyInAnyOrder(phone.session().id() + " logout_all",
				laptop.session().id() + " logout_all");
	}

	@Test
	void logoutWhenCurrentTokenChangedInAnyOneCharacterThenNothingEnds() {
		IssuedRefreshToken phone = create(this.store, this.alice, List.of());
		IssuedRefreshToken laptop = create(this.store, this.alice, List.of());
		String current = rotate(this.store, phone.value()).token().value();

		for (String altered : alterations(current)) {
			assertThat(this.store.logout(altered).block(STEP_TIMEOUT)).as(altered).isEqualTo(Logout.unknown());
			assertThat(this.store.logoutAll(altered).block(STEP_TIMEOUT)).as(altered).isEqualTo(Logout.unknown());
		}

		assertThat(this.ended).isEmpty();
		assertThat(rotate(this.store, current).outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotate(this.store, laptop.value()).outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void endAllWhenOperatorThenEverySessionOfTheUserEnds() {
		create(this.store, this.alice, List.of());
		create(this.store, this.alice, List.of());

		assertThat(this.store.endAll(this.alice, "operator").block(STEP_TIMEOUT)).hasSize(2);

		assertThat(sessions(this.store, this.alice)).isEmpty();
		assertThat(this.ended).hasSize(2).allMatch((line) -> line.endsWith(" operator"));
	}

	@Test
	void createWhenPastMaxSessionsThenOldestEnds() {
		RefreshTokenStore limited = createStore(settings(TTL, MAX_LIFETIME, Duration.ZERO, 2), this.clock);
		IssuedRefreshToken oldest = create(limited, this.alice, List.of());
		this.clock.advance(Duration.ofSeconds(1));
		IssuedRefreshToken middle = create(limited, this.alice, List.of());
		this.clock.advance(Duration.ofSeconds(1));
		IssuedRefreshToken newest = create(limited, this.alice, List.of());

		assertThat(sessions(limited, this.alice)).extracting(SessionInfo::id)
			.containsExactly(middle.session().id(), newest.session().id());
		assertThat(rotate(limited, oldest.value()).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(this.ended).containsExactly(oldest.session().id() + " max_sessions");
	}

	@Test
	void logoutWhenExpiredThenUnknown() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());
		this.clock.advance(TTL);

		assertThat(this.store.logout(token.value()).block(STEP_TIMEOUT)).isEqualTo(Logout.unknown());
	}

	@Test
	void rotateWhenOneTokenRotatedConcurrentlyThenExactlyOneRotatedAndSessionEnded() {
		IssuedRefreshToken token = create(this.store, this.alice, List.of());

		Map<Outcome, Long> outcomes = rotateConcurrently(this.store, token.value(), 64).stream()
			.collect(Collectors.groupingBy(Rotation::outcome, Collectors.counting()));

		// the first loser finds the token already rotated and revokes the family; the
		// rest find no family
		assertThat(outcomes).containsOnly(Map.entry(Outcome.ROTATED, 1L), Map.entry(Outcome.REUSED, 1L),
				Map.entry(Outcome.INVALID, 62L));
	}

	@Test
	void rotateWhenOneTokenRotatedConcurrentlyWithGraceThenOneRotatedAndSameSuccessorForAll() {
		IssuedRefreshToken token = create(this.graceStore, this.alice, List.of());

		List<Rotation> rotations = rotateConcurrently(this.graceStore, token.value(), 64);

		assertThat(rotations).extracting(Rotation::outcome).containsOnly(Outcome.ROTATED, Outcome.RETRIED);
		assertThat(rotations).filteredOn((rotation) -> rotation.outcome() == Outcome.ROTATED).hasSize(1);
		String successor = rotations.stream()
			.filter((rotation) -> rotation.outcome() == Outcome.ROTATED)
			.findFirst()
			.orElseThrow()
			.token()
			.value();
		assertThat(rotations).extracting((rotation) -> rotation.token().value()).containsOnly(successor);
	}

	private static final ClientBinding PHONE = new ClientBinding(
			Map.of("user-agent", "Phone/1.0", "address-prefix", "198.51.100.0/24"));

	private static final ClientBinding LAPTOP = new ClientBinding(
			Map.of("user-agent", "Laptop/2.0", "address-prefix", "198.51.100.0/24"));

	private RefreshTokenStore bound(String policy, Duration grace) {
		return createStore(settings(TTL, MAX_LIFETIME, grace, 50,
				new BindingSettings(List.of("user-agent", "address-prefix"), "X-Device-Id", policy.equals("enforce"))),
				this.clock);
	}

	@Test
	void rotateWhenSameClientThenRotatedWithoutMismatch() {
		RefreshTokenStore store = bound("enforce", Duration.ZERO);
		IssuedRefreshToken token = store.create(this.alice, List.of(), PHONE).block(STEP_TIMEOUT);

		Rotation rotation = store.rotate(token.value(), PHONE).block(STEP_TIMEOUT);
		Rotation next = store.rotate(rotation.token().value(), PHONE).block(STEP_TIMEOUT);

		assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotation.bindingMismatches()).isEmpty();
		assertThat(next.outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenAnotherClientUnderAuditThenRotatedAndTheFailedChecksReported() {
		RefreshTokenStore store = bound("audit", Duration.ZERO);
		IssuedRefreshToken token = store.create(this.alice, List.of(), PHONE).block(STEP_TIMEOUT);

		Rotation rotation = store.rotate(token.value(), LAPTOP).block(STEP_TIMEOUT);

		assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotation.bindingMismatches()).containsExactly("user-agent");
		// compared with the login's client every time
		assertThat(store.rotate(rotation.token().value(), PHONE).block(STEP_TIMEOUT).bindingMismatches()).isEmpty();
		assertThat(this.ended).isEmpty();
	}

	@Test
	void rotateWhenAnotherClientUnderEnforceThenNotRotatedAndTheSessionEnded() {
		RefreshTokenStore store = bound("enforce", Duration.ZERO);
		IssuedRefreshToken token = store.create(this.alice, List.of("user"), PHONE).block(STEP_TIMEOUT);

		Rotation stolen = store.rotate(token.value(), LAPTOP).block(STEP_TIMEOUT);

		assertThat(stolen.outcome()).isEqualTo(Outcome.BINDING_MISMATCH);
		assertThat(stolen.token()).isNull();
		assertThat(stolen.session()).isEqualTo(token.session());
		assertThat(stolen.bindingMismatches()).containsExactly("user-agent");
		assertThat(this.ended).containsExactly(token.session().id() + " binding_mismatch");
		// the real client's token is dead too: the session is over
		assertThat(store.rotate(token.value(), PHONE).block(STEP_TIMEOUT).outcome()).isEqualTo(Outcome.INVALID);
		assertThat(sessions(store, this.alice)).isEmpty();
	}

	@Test
	void rotateWhenRetriedWithinGraceByAnotherClientUnderEnforceThenSessionEnded() {
		RefreshTokenStore store = bound("enforce", GRACE);
		IssuedRefreshToken token = store.create(this.alice, List.of(), PHONE).block(STEP_TIMEOUT);
		assertThat(store.rotate(token.value(), PHONE).block(STEP_TIMEOUT).outcome()).isEqualTo(Outcome.ROTATED);

		Rotation retry = store.rotate(token.value(), LAPTOP).block(STEP_TIMEOUT);

		assertThat(retry.outcome()).isEqualTo(Outcome.BINDING_MISMATCH);
		assertThat(this.ended).containsExactly(token.session().id() + " binding_mismatch");
	}

	@Test
	void rotateWhenACheckWasNotRecordedAtLoginThenIgnored() {
		RefreshTokenStore store = bound("enforce", Duration.ZERO);
		IssuedRefreshToken token = store
			.create(this.alice, List.of(), new ClientBinding(Map.of("user-agent", "Phone/1.0")))
			.block(STEP_TIMEOUT);

		Rotation rotation = store.rotate(token.value(), PHONE).block(STEP_TIMEOUT);

		assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(rotation.bindingMismatches()).isEmpty();
	}

	@Test
	void rotateWhenForgedTokenFromAnotherClientUnderEnforceThenInvalidAndNothingEnds() {
		RefreshTokenStore store = bound("enforce", Duration.ZERO);
		IssuedRefreshToken token = store.create(this.alice, List.of(), PHONE).block(STEP_TIMEOUT);

		Rotation forged = store.rotate(forged(token.session().id(), 0), LAPTOP).block(STEP_TIMEOUT);

		assertThat(forged.outcome()).isEqualTo(Outcome.INVALID);
		assertThat(this.ended).isEmpty();
		assertThat(store.rotate(token.value(), PHONE).block(STEP_TIMEOUT).outcome()).isEqualTo(Outcome.ROTATED);
	}

	// ---- DPoP-bound sessions (RFC 9449 §5)

	@Test
	void createWhenKeyThumbprintThenTheSessionIsBoundAndEveryRotationKeepsIt() {
		IssuedRefreshToken token = this.store.create(this.alice, List.of("user"), ClientBinding.NONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		Rotation first = this.store.rotate(token.value(), ClientBinding.NONE, RotationCases.KEY).block(STEP_TIMEOUT);
		Rotation second = this.store.rotate(first.token().value(), ClientBinding.NONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		assertThat(token.session().keyThumbprint()).isEqualTo(RotationCases.KEY);
		assertThat(first.token().session().keyThumbprint()).isEqualTo(RotationCases.KEY);
		assertThat(second.outcome()).isEqualTo(Outcome.ROTATED);
		assertThat(second.session().keyThumbprint()).isEqualTo(RotationCases.KEY);
	}

	@Test
	void rotateWhenBoundAndNoProofUnderAuditThenNothingConsumedAndTheKeyStillRotates() {
		IssuedRefreshToken token = this.store.create(this.alice, List.of(), ClientBinding.NONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		Rotation stolen = this.store.rotate(token.value(), ClientBinding.NONE, null).block(STEP_TIMEOUT);
		Rotation otherKey = this.store.rotate(token.value(), ClientBinding.NONE, RotationCases.OTHER_KEY)
			.block(STEP_TIMEOUT);

		assertThat(stolen.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
		assertThat(stolen.token()).isNull();
		assertThat(stolen.sessionEnded()).isFalse();
		assertThat(otherKey.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
		assertThat(this.ended).isEmpty();
		assertThat(sessions(this.store, this.alice)).hasSize(1);
		// not consumed: the key's holder still rotates the same token
		Rotation owner = this.store.rotate(token.value(), ClientBinding.NONE, RotationCases.KEY).block(STEP_TIMEOUT);
		assertThat(owner.outcome()).isEqualTo(Outcome.ROTATED);
	}

	@Test
	void rotateWhenBoundAndAnotherKeyUnderEnforceThenTheSessionEndedAndItsTokenInvalid() {
		RefreshTokenStore store = bound("enforce", Duration.ZERO);
		IssuedRefreshToken token = store.create(this.alice, List.of("user"), PHONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		Rotation stolen = store.rotate(token.value(), PHONE, RotationCases.OTHER_KEY).block(STEP_TIMEOUT);

		assertThat(stolen.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
		assertThat(stolen.sessionEnded()).isTrue();
		assertThat(stolen.session()).isEqualTo(token.session());
		assertThat(this.ended).containsExactly(token.session().id() + " dpop_key_mismatch");
		assertThat(store.rotate(token.value(), PHONE, RotationCases.KEY).block(STEP_TIMEOUT).outcome())
			.isEqualTo(Outcome.INVALID);
		assertThat(sessions(store, this.alice)).isEmpty();
	}

	@Test
	void logoutWhenBoundSessionThenEndedWithoutAProof() {
		IssuedRefreshToken token = this.store.create(this.alice, List.of(), ClientBinding.NONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		Logout logout = this.store.logout(token.value()).block(STEP_TIMEOUT);

		assertThat(logout.outcome()).isEqualTo(Logout.Outcome.LOGGED_OUT);
		assertThat(sessions(this.store, this.alice)).isEmpty();
	}

	@Test
	void endAllWhenBoundSessionThenTheEndedSessionCarriesItsKey() {
		IssuedRefreshToken token = this.store.create(this.alice, List.of("user"), ClientBinding.NONE, RotationCases.KEY)
			.block(STEP_TIMEOUT);

		List<Session> ended = this.store.endAll(this.alice, "operator").block(STEP_TIMEOUT);

		assertThat(ended).containsExactly(token.session());
	}

	// ---- the table of rotation cases, the same for every store

	/**
	 * The stores a row logs in to, each made for it, and the one its first token belongs
	 * to.
	 */
	private final Map<String, RefreshTokenStore> storeOfSession = new ConcurrentHashMap<>();

	private final RotationCases.Fixture fixture = new RotationCases.Fixture() {

		@Override
		public IssuedRefreshToken login(Duration grace, BindingSettings binding, ClientBinding client,
				String keyThumbprint) {
			RefreshTokenStore store = createStore(settings(RotationCases.TTL, MAX_LIFETIME, grace, 50, binding),
					RefreshTokenStoreContractTests.this.clock);
			IssuedRefreshToken token = store
				.create(RefreshTokenStoreContractTests.this.alice, List.of("user"), client, keyThumbprint)
				.block(STEP_TIMEOUT);
			RefreshTokenStoreContractTests.this.storeOfSession.put(token.session().id(), store);
			return token;
		}

		@Override
		public IssuedRefreshToken rotate(IssuedRefreshToken token, ClientBinding client, String keyThumbprint) {
			Rotation rotation = storeOf(token).rotate(token.value(), client, keyThumbprint).block(STEP_TIMEOUT);
			assertThat(rotation.outcome()).isEqualTo(Outcome.ROTATED);
			return rotation.token();
		}

		@Override
		public MutableClock clock() {
			return RefreshTokenStoreContractTests.this.clock;
		}

	};

	private RefreshTokenStore storeOf(IssuedRefreshToken token) {
		return this.storeOfSession.get(token.session().id());
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("dev.tollgate.routes.session.RotationCases#all")
	void rotateWhenACaseOfTheTableThenTheOutcomeAndEndItSays(RotationCases.Case row) {
		RotationCases.Presented presented = row.arrange().apply(this.fixture);
		this.ended.clear();

		Rotation rotation = storeOf(presented.login())
			.rotate(presented.token(), presented.client(), presented.keyThumbprint())
			.block(STEP_TIMEOUT);

		assertThat(rotation.outcome()).as(row.name()).isEqualTo(row.outcome());
		assertThat(rotation.bindingMismatches()).as(row.name()).containsExactlyElementsOf(row.mismatches());
		assertThat(rotation.sessionEnded()).as(row.name()).isEqualTo(row.ended() != null);
		if (rotation.granted() || rotation.outcome() == Outcome.KEY_MISMATCH) {
			// the session as it was at login: bound to the login's key, or bearer
			// whatever
			// the refresh proved
			assertThat(rotation.session()).as(row.name()).isEqualTo(presented.login().session());
		}
		if (rotation.granted()) {
			assertThat(rotation.token().value()).startsWith(presented.login().session().id() + ".")
				.isNotEqualTo(presented.token());
		}
		if (presented.successor() != null) {
			assertThat(rotation.token().value()).isEqualTo(presented.successor());
		}
		assertThat(this.ended).as(row.name())
			.containsExactlyElementsOf(
					(row.ended() != null) ? List.of(presented.login().session().id() + " " + row.ended()) : List.of());
	}

	private static List<Rotation> rotateConcurrently(RefreshTokenStore store, String token, int count) {
		Scheduler threads = Schedulers.newParallel("rotate", count);
		try {
			List<Rotation> rotations = Flux.range(0, count)
				.parallel(count)
				.runOn(threads)
				.flatMap((i) -> store.rotate(token))
				.sequential()
				.collectList()
				.block(STEP_TIMEOUT);
			assertThat(rotations).hasSize(count);
			return rotations;
		}
		finally {
			threads.dispose();
		}
	}

	public static List<SessionInfo> sessions(RefreshTokenStore store, String userId) {
		return store.sessions(userId).blockOptional(STEP_TIMEOUT).orElseThrow();
	}

	public static IssuedRefreshToken create(RefreshTokenStore store, String userId, List<String> roles) {
		return store.create(userId, roles).blockOptional(STEP_TIMEOUT).orElseThrow();
	}

	public static Rotation rotate(RefreshTokenStore store, String token) {
		return store.rotate(token).blockOptional(STEP_TIMEOUT).orElseThrow();
	}

}
