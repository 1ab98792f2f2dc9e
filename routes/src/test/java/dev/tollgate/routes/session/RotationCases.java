package dev.tollgate.routes.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.Rotation.Outcome;
import dev.tollgate.test.MutableClock;

/**
 * The one table of rotation cases: what a store answers to each kind of presented refresh
 * token, and which session it ends. {@link RefreshTokenStoreContractTests} runs every row
 * against every store, so that the memory store's rotation (a pure function,
 * {@code MemoryRotation}) and the Redis store's ({@code session_rotate.lua}) can never
 * decide differently.
 */
final class RotationCases {

	static final Duration TTL = Duration.ofMinutes(10);

	static final Duration GRACE = Duration.ofSeconds(5);

	static final ClientBinding PHONE = new ClientBinding(Map.of("user-agent", "Phone/1.0"));

	static final ClientBinding LAPTOP = new ClientBinding(Map.of("user-agent", "Laptop/2.0"));

	/** The RFC 7638 thumbprint of the key a DPoP login proved. */
	static final String KEY = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	/** Another key's thumbprint. */
	static final String OTHER_KEY = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs";

	private RotationCases() {
	}

	/** Every row; the name says the case. */
	static List<Case> all() {
		return List.of(new Case("current", (fixture) -> {
			IssuedRefreshToken login = fixture.login(Duration.ZERO, BindingSettings.OFF, ClientBinding.NONE);
			return new Presented(login, login.value(), ClientBinding.NONE, null);
		}, Outcome.ROTATED, List.of(), null), new Case("immediate predecessor within grace", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			IssuedRefreshToken successor = fixture.rotate(login, ClientBinding.NONE);
			fixture.clock().advance(GRACE.minusSeconds(1));
			return new Presented(login, login.value(), ClientBinding.NONE, successor.value());
		}, Outcome.RETRIED, List.of(), null), new Case("immediate predecessor after grace", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			fixture.rotate(login, ClientBinding.NONE);
			fixture.clock().advance(GRACE);
			return new Presented(login, login.value(), ClientBinding.NONE, null);
		}, Outcome.REUSED, List.of(), "reuse"), new Case("two behind, within grace", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			fixture.rotate(fixture.rotate(login, ClientBinding.NONE), ClientBinding.NONE);
			return new Presented(login, login.value(), ClientBinding.NONE, null);
		}, Outcome.REUSED, List.of(), "reuse"), new Case("forged tag naming a real session", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			return new Presented(login, RefreshTokenStoreContractTests.forged(login.session().id(), 0),
					ClientBinding.NONE, null);
		}, Outcome.INVALID, List.of(), null), new Case("unknown session", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			return new Presented(login, RefreshTokenStoreContractTests.unknownToken(), ClientBinding.NONE, null);
		}, Outcome.INVALID, List.of(), null), new Case("expired", (fixture) -> {
			IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE);
			fixture.clock().advance(TTL);
			return new Presented(login, login.value(), ClientBinding.NONE, null);
		}, Outcome.INVALID, List.of(), null), new Case("binding mismatch under audit", (fixture) -> {
			IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(false), PHONE);
			return new Presented(login, login.value(), LAPTOP, null);
		}, Outcome.ROTATED, List.of("user-agent"), null), new Case("binding mismatch under enforce", (fixture) -> {
			IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(true), PHONE);
			return new Presented(login, login.value(), LAPTOP, null);
		}, Outcome.BINDING_MISMATCH, List.of("user-agent"), "binding_mismatch"),
				new Case("bound, proof by its key", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, BindingSettings.OFF, ClientBinding.NONE,
							KEY);
					return new Presented(login, login.value(), ClientBinding.NONE, null, KEY);
				}, Outcome.ROTATED, List.of(), null), new Case("bound, no proof under audit", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(false), PHONE, KEY);
					return new Presented(login, login.value(), PHONE, null, null);
				}, Outcome.KEY_MISMATCH, List.of(), null), new Case("bound, another key under audit", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, BindingSettings.OFF, ClientBinding.NONE,
							KEY);
					return new Presented(login, login.value(), ClientBinding.NONE, null, OTHER_KEY);
				}, Outcome.KEY_MISMATCH, List.of(), null), new Case("bound, no proof under enforce", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(true), PHONE, KEY);
					return new Presented(login, login.value(), PHONE, null, null);
				}, Outcome.KEY_MISMATCH, List.of(), "dpop_key_mismatch"),
				new Case("bound, another key and another client under enforce", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(true), PHONE, KEY);
					return new Presented(login, login.value(), LAPTOP, null, OTHER_KEY);
				}, Outcome.KEY_MISMATCH, List.of(), "dpop_key_mismatch"),
				new Case("bound, predecessor retried within grace by its key", (fixture) -> {
					IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE, KEY);
					IssuedRefreshToken successor = fixture.rotate(login, ClientBinding.NONE, KEY);
					return new Presented(login, login.value(), ClientBinding.NONE, successor.value(), KEY);
				}, Outcome.RETRIED, List.of(), null),
				new Case("bound, predecessor retried within grace by another key", (fixture) -> {
					IssuedRefreshToken login = fixture.login(GRACE, BindingSettings.OFF, ClientBinding.NONE, KEY);
					fixture.rotate(login, ClientBinding.NONE, KEY);
					return new Presented(login, login.value(), ClientBinding.NONE, null, OTHER_KEY);
				}, Outcome.KEY_MISMATCH, List.of(), null), new Case("bound, spent token without a proof", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, BindingSettings.OFF, ClientBinding.NONE,
							KEY);
					fixture.rotate(login, ClientBinding.NONE, KEY);
					return new Presented(login, login.value(), ClientBinding.NONE, null, null);
				}, Outcome.REUSED, List.of(), "reuse"),
				new Case("bound, forged tag without a proof under enforce", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, binding(true), PHONE, KEY);
					return new Presented(login, RefreshTokenStoreContractTests.forged(login.session().id(), 0), PHONE,
							null, null);
				}, Outcome.INVALID, List.of(), null), new Case("bearer, with a proof", (fixture) -> {
					IssuedRefreshToken login = fixture.login(Duration.ZERO, BindingSettings.OFF, ClientBinding.NONE);
					return new Presented(login, login.value(), ClientBinding.NONE, null, KEY);
				}, Outcome.ROTATED, List.of(), null));
	}

	private static BindingSettings binding(boolean enforced) {
		return new BindingSettings(List.of("user-agent"), "X-Device-Id", enforced);
	}

	/** What a row needs of the store under test. */
	interface Fixture {

		/**
		 * A login to a new store with this grace and binding, the client presenting
		 * {@code client}.
		 */
		default IssuedRefreshToken login(Duration grace, BindingSettings binding, ClientBinding client) {
			return login(grace, binding, client, null);
		}

		/**
		 * A login as {@link #login(Duration, BindingSettings, ClientBinding)} that proved
		 * the DPoP key {@code keyThumbprint} ({@code null}: a bearer login).
		 */
		IssuedRefreshToken login(Duration grace, BindingSettings binding, ClientBinding client, String keyThumbprint);

		/**
		 * The rotation of {@code token} in the store it was issued by; fails unless it
		 * rotated.
		 */
		default IssuedRefreshToken rotate(IssuedRefreshToken token, ClientBinding client) {
			return rotate(token, client, null);
		}

		/**
		 * {@link #rotate(IssuedRefreshToken, ClientBinding)} by a refresh that proved
		 * {@code keyThumbprint} ({@code null}: without a proof).
		 */
		IssuedRefreshToken rotate(IssuedRefreshToken token, ClientBinding client, String keyThumbprint);

		MutableClock clock();

	}

	/**
	 * What a row presents.
	 *
	 * @param login the session's first token, whose store answers
	 * @param token the token presented
	 * @param client the presenting client's binding values
	 * @param successor the token the answer must carry, when the row says which
	 * @param keyThumbprint the key the refresh's DPoP proof proved, {@code null} without
	 * a proof
	 */
	record Presented(IssuedRefreshToken login, String token, ClientBinding client, String successor,
			String keyThumbprint) {

		/** A refresh without a DPoP proof. */
		Presented(IssuedRefreshToken login, String token, ClientBinding client, String successor) {
			this(login, token, client, successor, null);
		}

	}

	/**
	 * One row.
	 *
	 * @param name the case
	 * @param arrange makes the session and says what is presented
	 * @param outcome the answer's outcome
	 * @param mismatches the binding checks the answer reports failed
	 * @param ended why the session ends ({@code reuse}, {@code binding_mismatch},
	 * {@code dpop_key_mismatch}), or {@code null} when it lives on
	 */
	record Case(String name, Function<Fixture, Presented> arrange, Outcome outcome, List<String> mismatches,
			String ended) {

		@Override
		public String toString() {
			return this.name;
		}

	}

}
