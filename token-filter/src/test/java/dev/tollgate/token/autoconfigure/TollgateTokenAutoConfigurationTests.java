package dev.tollgate.token.autoconfigure;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import dev.tollgate.token.error.ProblemResponseWriter;
import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.filter.AccessTokenAuthenticator;
import dev.tollgate.token.filter.SessionRevocations;
import dev.tollgate.token.jwt.AccessTokenIssuer;
import dev.tollgate.token.jwt.AccessTokenVerifier;
import dev.tollgate.token.jwt.SigningAlgorithm;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.observe.TokenRejection;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The beans behind access tokens: there by default, the application's own win, none when
 * Tollgate is off.
 */
class TollgateTokenAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateTokenAutoConfiguration.class));

	@Test
	void contextWhenDefaultsThenEveryBeanUnderItsName() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(TokenProperties.class);
			assertThat(context).getBean("tollgateClock").isInstanceOf(Clock.class);
			assertThat(context).getBean("tollgateSigningKeys").isInstanceOf(SigningKeys.class);
			assertThat(context).getBean("tollgateAccessTokenIssuer").isInstanceOf(AccessTokenIssuer.class);
			assertThat(context).getBean("tollgateAccessTokenVerifier").isInstanceOf(AccessTokenVerifier.class);
			assertThat(context).getBean("tollgateProblemResponseWriter").isInstanceOf(ProblemResponseWriter.class);
			assertThat(context).getBean("tollgateAccessTokenAuthenticator")
				.isInstanceOf(AccessTokenAuthenticator.class);
		});
	}

	@Test
	void contextWhenSigningConfiguredThenKeysFollowIt() {
		this.runner.withPropertyValues("tollgate.signing.algorithm=ES256").run((context) -> {
			SigningKeys keys = context.getBean(SigningKeys.class);
			assertThat(keys.algorithm()).isEqualTo(SigningAlgorithm.ES256);
			assertThat(keys.isEphemeral()).isTrue();
		});
	}

	@Test
	void contextWhenIssuerAndVerifierThenTheyAgree() {
		this.runner.withPropertyValues("tollgate.issuer=https://auth.example", "tollgate.audience=orders")
			.run((context) -> {
				String token = context.getBean(AccessTokenIssuer.class).issue("u-1", List.of("a"), "s-1").value();
				assertThat(context.getBean(AccessTokenVerifier.class).verify(token).subject()).isEqualTo("u-1");
			});
	}

	@Test
	void contextWhenApplicationHasItsOwnBeansThenTheyWin() {
		this.runner.withUserConfiguration(OwnBeans.class).run((context) -> {
			assertThat(context).hasSingleBean(SigningKeys.class);
			assertThat(context.getBean(SigningKeys.class)).isSameAs(OwnBeans.KEYS);
			assertThat(context.getBean(SigningKeys.class).algorithm()).isEqualTo(SigningAlgorithm.HS256);
			assertThat(context).hasSingleBean(Clock.class);
			assertThat(context.getBean(Clock.class)).isSameAs(OwnBeans.CLOCK);
			assertThat(context).doesNotHaveBean("tollgateSigningKeys").doesNotHaveBean("tollgateClock");
		});
	}

	@Test
	void contextWhenSessionRevocationsBeanThenAuthenticatorConsultsIt() {
		this.runner.withBean(SessionRevocations.class, () -> (sessionId) -> "ended".equals(sessionId))
			.run((context) -> {
				String token = context.getBean(AccessTokenIssuer.class).issue("u-1", List.of(), "ended").value();
				HttpHeaders headers = new HttpHeaders();
				headers.setBearerAuth(token);
				assertThatExceptionOfType(TollgateErrorException.class)
					.isThrownBy(() -> context.getBean(AccessTokenAuthenticator.class).authenticate(headers))
					.satisfies((ex) -> assertThat(ex.error().rejection()).isEqualTo(TokenRejection.REVOKED));
			});
	}

	@Test
	void contextWhenTollgateDisabledThenNoBeans() {
		this.runner.withPropertyValues("tollgate.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(TokenProperties.class)
				.doesNotHaveBean(SigningKeys.class)
				.doesNotHaveBean(AccessTokenVerifier.class)
				.doesNotHaveBean(AccessTokenIssuer.class)
				.doesNotHaveBean(ProblemResponseWriter.class)
				.doesNotHaveBean(AccessTokenAuthenticator.class)
				.doesNotHaveBean("tollgateClock");
		});
	}

	@Test
	void contextWhenKeyDoesNotFitThenStartupFailsNamingTheKey() {
		this.runner.withPropertyValues("tollgate.signing.algorithm=RS256", "tollgate.signing.secret=" + "A".repeat(44))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOfSatisfying(TollgateConfigurationException.class,
						(ex) -> assertThat(ex.key()).isEqualTo("tollgate.signing.secret")));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnBeans {

		static final SigningKeys KEYS = SigningKeys.sharedSecret(new byte[32]);

		static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);

		@Bean
		SigningKeys mySigningKeys() {
			return KEYS;
		}

		@Bean
		Clock myClock() {
			return CLOCK;
		}

	}

}
