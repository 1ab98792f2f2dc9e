package dev.tollgate.token.autoconfigure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;

import dev.tollgate.token.filter.IdentityHeadersFilter;
import dev.tollgate.token.filter.UpstreamAssertions;
import dev.tollgate.token.jwt.AssertionIssuer;
import dev.tollgate.token.jwt.SigningKeys;
import dev.tollgate.token.jwt.VerifiedAccessToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The signed identity for backends: on by default with a key derived from the
 * access-token key (the same on every instance that shares it), configured keys when
 * given, the application's own beans win, off on request.
 */
class TollgateAssertionAutoConfigurationTests {

	private static final String SECRET = "tollgate.signing.secret=" + dev.tollgate.token.jwt.TokenFixture.SECRET;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TollgateTokenAutoConfiguration.class,
				TollgateAssertionAutoConfiguration.class, TollgateEdgeAutoConfiguration.class))
		.withPropertyValues("tollgate.signing.algorithm=HS256", SECRET);

	@Test
	void contextWhenDefaultsThenEdDsaAssertionsAppliedByTheIdentityHeadersFilter() {
		this.runner.run((context) -> {
			AssertionIssuer issuer = context.getBean("tollgateAssertionIssuer", AssertionIssuer.class);
			assertThat(context).getBean("tollgateUpstreamAssertions").isInstanceOf(UpstreamAssertions.class);
			assertThat(issuer.publicJwks()).singleElement()
				.satisfies((jwk) -> assertThat(jwk.get("alg")).isEqualTo("EdDSA"));
			assertThat(context.getBean(UpstreamAssertions.class).headerName()).isEqualTo("X-Tollgate-Assertion");
			assertThat(context).hasSingleBean(IdentityHeadersFilter.class);
		});
	}

	@Test
	void contextWhenTwoInstancesShareTheAccessTokenKeyThenTheyShareTheDerivedAssertionKey() {
		this.runner.run((first) -> this.runner.run((second) -> {
			String kid = first.getBean(AssertionIssuer.class).keyIds().get(0);
			assertThat(second.getBean(AssertionIssuer.class).keyIds()).containsExactly(kid);
			String minted = first.getBean(AssertionIssuer.class).issue(token(), "orders").value();
			assertThat(minted).isNotEqualTo(second.getBean(AssertionIssuer.class).issue(token(), "orders").value());
		}));
		this.runner
			.withPropertyValues("tollgate.signing.secret="
					+ java.util.Base64.getEncoder().encodeToString("another secret of thirty-two bytes!".getBytes()))
			.run((other) -> this.runner.run((context) -> {
				assertThat(other.getBean(AssertionIssuer.class).keyIds())
					.isNotEqualTo(context.getBean(AssertionIssuer.class).keyIds());
			}));
	}

	@Test
	void contextWhenEs256ThenDerivedP256Key() {
		this.runner.withPropertyValues("tollgate.assertion.algorithm=ES256").run((context) -> {
			assertThat(context.getBean(AssertionIssuer.class).publicJwks()).singleElement().satisfies((jwk) -> {
				assertThat(jwk.get("alg")).isEqualTo("ES256");
				assertThat(jwk.get("crv")).isEqualTo("P-256");
			});
			assertThat(context.getBean(AssertionIssuer.class).issue(token(), "api").value()).isNotBlank();
		});
	}

	@Test
	void contextWhenKeysConfiguredThenKeyZeroSignsAndEveryKeyIsPublished(@TempDir Path dir) {
		KeyPair current = Pem.generate("Ed25519");
		KeyPair previous = Pem.generate("Ed25519");
		this.runner
			.withPropertyValues("tollgate.assertion.keys[0].id=assert-2",
					"tollgate.assertion.keys[0].private-key=" + uri(Pem.privateKey(dir, "a2.pem", current)),
					"tollgate.assertion.keys[1].id=assert-1",
					"tollgate.assertion.keys[1].public-key=" + uri(Pem.publicKey(dir, "a1.pub", previous)))
			.run((context) -> {
				AssertionIssuer issuer = context.getBean(AssertionIssuer.class);
				assertThat(issuer.keyIds()).containsExactly("assert-2", "assert-1");
				assertThat(issuer.publicJwks()).allSatisfy((jwk) -> assertThat(jwk.get("use")).isEqualTo("sig"));
			});
	}

	@Test
	void contextWhenConfiguredKeyDoesNotFitThenStartUpRefusedNamingTheKey(@TempDir Path dir) {
		KeyPair rsa = Pem.generate("RSA", 2048);
		this.runner
			.withPropertyValues("tollgate.assertion.keys[0].private-key=" + uri(Pem.privateKey(dir, "rsa.pem", rsa)))
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(TollgateConfigurationException.class)
				.hasMessageContaining("tollgate.assertion.keys[0].private-key"));
	}

	@Test
	void contextWhenAssertionsOffOrTollgateOffThenNone() {
		this.runner.withPropertyValues("tollgate.assertion.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(AssertionIssuer.class);
			assertThat(context).doesNotHaveBean(UpstreamAssertions.class);
			assertThat(context).hasSingleBean(IdentityHeadersFilter.class);
		});
		this.runner.withPropertyValues("tollgate.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(AssertionIssuer.class));
	}

	@Test
	void contextWhenApplicationHasItsOwnIssuerThenItWins() {
		AssertionIssuer own = new AssertionIssuer(SigningKeys.ephemeral(dev.tollgate.token.jwt.SigningAlgorithm.ES256),
				"own", java.time.Duration.ofSeconds(30), java.time.Clock.systemUTC());
		this.runner.withBean("myIssuer", AssertionIssuer.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(AssertionIssuer.class);
			assertThat(context.getBean(AssertionIssuer.class)).isSameAs(own);
		});
	}

	@Test
	void contextWhenBadSettingsThenStartUpRefusedNamingTheKey() {
		this.runner.withPropertyValues("tollgate.assertion.algorithm=RS256")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tollgate.assertion.algorithm"));
		this.runner.withPropertyValues("tollgate.assertion.ttl=1h")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tollgate.assertion.ttl"));
		this.runner.withPropertyValues("tollgate.assertion.header-name=X Bad")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tollgate.assertion.header-name"));
	}

	private static VerifiedAccessToken token() {
		return new VerifiedAccessToken("u-1", List.of("user"), "s-1", Instant.now().plusSeconds(600), null);
	}

	private static String uri(org.springframework.core.io.Resource resource) {
		try {
			return resource.getURI().toString();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
