package dev.tollgate.token.filter;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.tollgate.token.firewall.HeaderNames;
import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.VerifiedAccessToken;

import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpHeaders;

/**
 * The signed identity on requests leaving for an upstream: removes every client-sent
 * header of the assertion's name, and on a request that passed the access check on a
 * route that is not public adds a fresh assertion for the route's audience (route
 * metadata {@value #AUDIENCE_METADATA}, else the route id). With
 * {@value #FORWARD_TOKEN_METADATA} {@code false} (route metadata, else
 * {@code tollgate.assertion.forward-access-token}) such a request also leaves without
 * {@code Authorization}: the assertion carries the identity, and a token that never
 * reaches a backend cannot leak from one.
 * <p>
 * Signing costs far more than the whole access check, so an assertion is minted once per
 * access token and audience and reused until a third of its lifetime is left (or, when
 * the access token's expiry cut it short, until it expires): a client reusing its token
 * gets a cache hit on almost every request.
 */
public final class UpstreamAssertions {

	/** Route metadata naming the backend's audience (the assertion's {@code aud}). */
	public static final String AUDIENCE_METADATA = "audience";

	/** Route metadata saying whether the client's access token goes upstream too. */
	public static final String FORWARD_TOKEN_METADATA = "forward-access-token";

	private final AssertionIssuer issuer;

	private final String headerName;

	/**
	 * Whether a header name is read as this assertion's header (case and {@code _}
	 * folded).
	 */
	private final Predicate<String> isAssertionHeader;

	private final boolean forwardAccessToken;

	private final Clock clock;

	private final long reuseMarginMillis;

	private final Cache<CacheKey, AssertionIssuer.Assertion> minted;

	/**
	 * @param issuer mints the assertions
	 * @param headerName the request header that carries them
	 * @param forwardAccessToken whether {@code Authorization} goes upstream where the
	 * route does not say
	 * @param cacheMaxSize most assertions remembered
	 * @param clock the clock
	 */
	public UpstreamAssertions(AssertionIssuer issuer, String headerName, boolean forwardAccessToken, long cacheMaxSize,
			Clock clock) {
		this.issuer = issuer;
		this.headerName = headerName;
		String folded = headerName.toLowerCase(Locale.ROOT).replace('_', '-');
		this.isAssertionHeader = (name) -> HeaderNames.matches(name, folded);
		this.forwardAccessToken = forwardAccessToken;
		this.clock = clock;
		this.reuseMarginMillis = issuer.ttl().toMillis() / 3;
		this.minted = Caffeine.newBuilder()
			.maximumSize(cacheMaxSize)
			// maintenance on the calling thread, as in the validated-token cache: no
			// hand-off to a pool per insertion
			.executor(Runnable::run)
			.ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
			.expireAfter(Expiry.creating((CacheKey key, AssertionIssuer.Assertion assertion) -> Duration
				.ofMillis(Math.max(0, assertion.expiresAt().toEpochMilli() - clock.millis()))))
			.build();
	}

	/** The header the assertions travel in. */
	public String headerName() {
		return this.headerName;
	}

	/**
	 * Applies the assertion rules to the headers of a request leaving for {@code route};
	 * {@code token} is the access token the access check verified, or {@code null}. The
	 * copies a client sent ({@link #isAssertionHeader}) are gone already:
	 * {@link IdentityHeadersFilter} removes them in the same walk over the headers as
	 * {@code X-User-*}.
	 */
	void apply(HttpHeaders headers, Route route, VerifiedAccessToken token) {
		if (token == null || route == null || AccessTokenGlobalFilter.isOpen(route)) {
			return;
		}
		headers.set(this.headerName, assertion(token, audience(route)));
		if (!forwardsAccessToken(route)) {
			headers.remove(HttpHeaders.AUTHORIZATION);
		}
	}

	/**
	 * A reusable assertion of {@code token} for {@code audience}, minted now if there is
	 * none.
	 */
	String assertion(VerifiedAccessToken token, String audience) {
		CacheKey key = new CacheKey(token, audience);
		AssertionIssuer.Assertion cached = this.minted.getIfPresent(key);
		long now = this.clock.millis();
		if (cached != null && (cached.cappedByAccessToken() ? cached.expiresAt().toEpochMilli() > now
				: cached.expiresAt().toEpochMilli() - now > this.reuseMarginMillis)) {
			return cached.value();
		}
		AssertionIssuer.Assertion fresh = this.issuer.issue(token, audience);
		this.minted.put(key, fresh);
		return fresh.value();
	}

	/**
	 * Whether {@code name} is read as this assertion's header (case and {@code _}
	 * folded).
	 */
	boolean isAssertionHeader(String name) {
		return this.isAssertionHeader.test(name);
	}

	private static String audience(Route route) {
		Object audience = route.getMetadata().get(AUDIENCE_METADATA);
		return (audience != null && !String.valueOf(audience).isBlank()) ? String.valueOf(audience).trim()
				: route.getId();
	}

	private boolean forwardsAccessToken(Route route) {
		Object forward = route.getMetadata().get(FORWARD_TOKEN_METADATA);
		return (forward != null) ? Boolean.parseBoolean(String.valueOf(forward).trim()) : this.forwardAccessToken;
	}

	/**
	 * One access token and audience. The token is the verified identity the
	 * validated-token cache hands every request with that token, compared by identity: no
	 * per-request key material to compute.
	 */
	private record CacheKey(VerifiedAccessToken token, String audience) {
	}

}
