package dev.tollgate.token.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.tollgate.test.DpopProofs;
import dev.tollgate.token.dpop.DpopMode;
import dev.tollgate.token.dpop.DpopNonces;
import dev.tollgate.token.dpop.DpopProofVerifier;
import dev.tollgate.token.dpop.DpopReplayGuard;
import dev.tollgate.token.dpop.DpopRequestUri;
import dev.tollgate.token.dpop.DpopSettings;
import dev.tollgate.token.dpop.LocalDpopReplayGuard;
import dev.tollgate.token.dpop.NonceMode;
import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateError;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP's beans: on by default with the settings of {@code tollgate.dpop.*}, nonces
 * derived from the signing key, an in-memory replay guard an application (routes, with
 * Redis) replaces, start-up refused with the key and the fix for a value that cannot
 * work.
 */
class TollgateDpopAutoConfigurationTests {

	private static final String SECRET = "tollgate.signing.secret=" + dev.tollgate.token.jwt.TokenFixture.SECRET;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateTokenAutoConfiguration.class,
				TollgateDpopAutoConfiguration.class, TollgateEdgeAutoConfiguration.class))
		.withPropertyValues("tollgate.signing.algorithm=HS256", SECRET);

	@Test
	void contextWhenDefaultsThenDpopOptionalWithEveryBeanAndALocalReplayGuard() {
		this.runner.run((context) -> {
			assertThat(context.getBean(DpopSettings.class)).isEqualTo(DpopSettings.DEFAULTS);
			assertThat(context.getBean(DpopSettings.class).replayTtl()).isEqualTo(Duration.ofSeconds(70));
			assertThat(context).hasSingleBean(DpopProofVerifier.class)
				.hasSingleBean(DpopNonces.class)
				.hasSingleBean(DpopRequestUri.class)
				.hasSingleBean(AccessTokenAuthenticator.class);
			assertThat(context.getBean(DpopReplayGuard.class)).isInstanceOf(LocalDpopReplayGuard.class);
			assertThat(challenges(context.getBean(ProblemResponseWriter.class), TollgateErrors.missingToken()))
				.containsExactly("Bearer realm=\"tollgate\"");
			assertThat(challenges(context.getBean(ProblemResponseWriter.class),
					TollgateErrors.missingToken().withDpopChallenge()))
				.containsExactly("DPoP algs=\"ES256 EdDSA RS256 PS256\"");
		});
	}

	@Test
	void contextWhenKebabCaseKeysThenBound() {
		this.runner.withPropertyValues("tollgate.dpop.mode=required", "tollgate.dpop.nonce=token-endpoint",
				"tollgate.dpop.algorithms=ES256,EdDSA", "tollgate.dpop.proof-max-age=30s",
				"tollgate.dpop.clock-skew=2s", "tollgate.dpop.nonce-lifetime=1m", "tollgate.dpop.access-replay=shared")
			.run((context) -> assertThat(context.getBean(DpopSettings.class))
				.isEqualTo(new DpopSettings(DpopMode.REQUIRED, NonceMode.TOKEN_ENDPOINT, List.of("ES256", "EdDSA"),
						Duration.ofSeconds(30), Duration.ofSeconds(2), Duration.ofMinutes(1), true)));
	}

	@Test
	void contextWhenModeOffThenBearerChallengeOnly() {
		this.runner.withPropertyValues("tollgate.dpop.mode=off")
			.run((context) -> assertThat(
					challenges(context.getBean(ProblemResponseWriter.class), TollgateErrors.missingToken()))
				.containsExactly("Bearer realm=\"tollgate\""));
	}

	@Test
	void contextWhenTwoInstancesShareTheSigningKeyThenTheyShareNonces() {
		this.runner.withPropertyValues("tollgate.dpop.nonce=always")
			.run((first) -> this.runner.run((second) -> assertThat(
					second.getBean(DpopNonces.class).isValid(first.getBean(DpopNonces.class).current()))
				.isTrue()));
	}

	@Test
	void contextWhenApplicationReplayGuardAndSharedAccessReplayThenTheAccessCheckUsesIt() {
		AtomicInteger calls = new AtomicInteger();
		DpopReplayGuard shared = (proof) -> Mono.fromSupplier(() -> calls.incrementAndGet() == 1);
		this.runner.withBean(DpopReplayGuard.class, () -> shared)
			.withPropertyValues("tollgate.dpop.access-replay=shared")
			.run((context) -> {
				assertThat(context.getBean(DpopReplayGuard.class)).isSameAs(shared);
				var keys = DpopProofs.es256();
				String token = context.getBean(AccessTokenIssuer.class)
					.issue("user-1", List.of(), "s-1", DpopProofs.jkt(keys.getPublic()))
					.value();
				String url = "http://localhost/orders";
				MockServerHttpRequest request = MockServerHttpRequest.get(url)
					.header(HttpHeaders.AUTHORIZATION, "DPoP " + token)
					.header("DPoP", DpopProofs.proof(keys).htu(url).ath(token).sign())
					.build();
				AccessTokenAuthenticator authenticator = context.getBean(AccessTokenAuthenticator.class);
				StepVerifier.create(authenticator.authenticate(request)).expectNextCount(1).verifyComplete();
				StepVerifier.create(authenticator.authenticate(request)).expectError().verify();
				assertThat(calls).hasValue(2);
			});
	}

	@Test
	void contextWhenTollgateOffThenNoDpopBean() {
		this.runner.withPropertyValues("tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DpopProofVerifier.class)
				.doesNotHaveBean(DpopReplayGuard.class));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "tollgate.dpop.algorithms|HS256", "tollgate.dpop.algorithms|none",
			"tollgate.dpop.algorithms|ES384", "tollgate.dpop.mode|sometimes", "tollgate.dpop.nonce|never",
			"tollgate.dpop.access-replay|cluster", "tollgate.dpop.proof-max-age|0s", "tollgate.dpop.proof-max-age|1h",
			"tollgate.dpop.clock-skew|5m", "tollgate.dpop.nonce-lifetime|1s" })
	void contextWhenValueCannotWorkThenStartUpRefusedNamingTheKeyAndTheFix(String key, String value) {
		this.runner.withPropertyValues(key + "=" + value).run((context) -> {
			assertThat(context).getFailure().rootCause().isInstanceOf(TollgateConfigurationException.class);
			TollgateConfigurationException ex = (TollgateConfigurationException) org.springframework.core.NestedExceptionUtils
				.getMostSpecificCause(context.getStartupFailure());
			assertThat(ex.key()).isEqualTo(key);
			assertThat(ex.fix()).isNotBlank();
		});
	}

	private static List<String> challenges(ProblemResponseWriter writer, TollgateError error) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders"));
		StepVerifier.create(writer.write(exchange, error)).verifyComplete();
		return exchange.getResponse().getHeaders().get(HttpHeaders.WWW_AUTHENTICATE);
	}

}
