package dev.tollgate.token.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import dev.tollgate.token.jwt.SigningAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Binds {@code tollgate.*} the way Spring Boot does, from kebab-case keys, defaults
 * included.
 */
class TokenPropertiesTests {

	private static final String GOOD_SECRET = Base64.getEncoder().encodeToString(new byte[32]);

	@TempDir
	Path dir;

	static TokenProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bind("tollgate", TokenProperties.class).get();
	}

	/** The {@link TollgateConfigurationException} at the root of a failed binding. */
	static TollgateConfigurationException refused(Map<String, String> properties) {
		BindException ex = org.assertj.core.api.Assertions.catchThrowableOfType(BindException.class,
				() -> bind(properties));
		assertThat(ex).as("binding must fail").isNotNull();
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		assertThat(cause).isInstanceOf(TollgateConfigurationException.class);
		return (TollgateConfigurationException) cause;
	}

	@Test
	void bindWhenNothingSetThenDefaults() {
		TokenProperties properties = new Binder(new MapConfigurationPropertySource(Map.of())).bindOrCreate("tollgate",
				TokenProperties.class);
		assertThat(properties.issuer()).isEqualTo("tollgate");
		assertThat(properties.audience()).isEqualTo("api");
		assertThat(properties.accessToken().ttl()).isEqualTo(Duration.ofMinutes(15));
		assertThat(properties.accessToken().clockSkew()).isEqualTo(Duration.ofSeconds(30));
		assertThat(properties.signing().signingAlgorithm()).isEqualTo(SigningAlgorithm.RS256);
		assertThat(properties.signing().secret()).isNull();
		assertThat(properties.signing().keys()).isEmpty();
	}

	@Test
	void bindWhenOneKeySetThenOthersKeepDefaults() {
		TokenProperties properties = bind(Map.of("tollgate.issuer", "https://auth.example"));
		assertThat(properties.issuer()).isEqualTo("https://auth.example");
		assertThat(properties.audience()).isEqualTo("api");
		assertThat(properties.accessToken().ttl()).isEqualTo(Duration.ofMinutes(15));
		assertThat(properties.signing().algorithm()).isEqualTo("RS256");
	}

	@Test
	void bindWhenKebabCaseKeysThenBound() throws Exception {
		Path pem = Files.writeString(this.dir.resolve("k.pem"), "x", StandardCharsets.US_ASCII);
		Map<String, String> source = new HashMap<>();
		source.put("tollgate.audience", "orders");
		source.put("tollgate.access-token.ttl", "5m");
		source.put("tollgate.access-token.clock-skew", "10s");
		source.put("tollgate.signing.algorithm", "ES256");
		source.put("tollgate.signing.keys[0].id", "2026-03");
		source.put("tollgate.signing.keys[0].private-key", "file:" + pem);
		source.put("tollgate.signing.keys[1].public-key", "file:" + pem);
		TokenProperties properties = bind(source);
		assertThat(properties.audience()).isEqualTo("orders");
		assertThat(properties.accessToken().ttl()).isEqualTo(Duration.ofMinutes(5));
		assertThat(properties.accessToken().clockSkew()).isEqualTo(Duration.ofSeconds(10));
		assertThat(properties.signing().signingAlgorithm()).isEqualTo(SigningAlgorithm.ES256);
		assertThat(properties.signing().keys()).hasSize(2);
		assertThat(properties.signing().keys().get(0).id()).isEqualTo("2026-03");
		assertThat(properties.signing().keys().get(0).privateKey().getFile().toPath()).isEqualTo(pem);
		assertThat(properties.signing().keys().get(1).privateKey()).isNull();
		assertThat(properties.signing().keys().get(1).publicKey().getFile().toPath()).isEqualTo(pem);
	}

	@ParameterizedTest
	@ValueSource(strings = { "HS256", "RS256", "ES256", "EdDSA", "eddsa", "rs256" })
	void bindWhenKnownAlgorithmThenAccepted(String algorithm) {
		Map<String, String> source = new HashMap<>(Map.of("tollgate.signing.algorithm", algorithm));
		TokenProperties properties = bind(source);
		assertThat(properties.signing().signingAlgorithm().id()).isEqualToIgnoringCase(algorithm);
	}

	@ParameterizedTest
	@ValueSource(strings = { "none", "HS512", "RS512", "PS256", "Ed25519" })
	void bindWhenUnknownAlgorithmThenRefused(String algorithm) {
		TollgateConfigurationException ex = refused(Map.of("tollgate.signing.algorithm", algorithm));
		assertThat(ex.key()).isEqualTo("tollgate.signing.algorithm");
		assertThat(ex.problem()).isEqualTo("is '" + algorithm + "'");
		assertThat(ex.fix()).isEqualTo("use one of HS256, RS256, ES256, EdDSA");
	}

	@Test
	void bindWhenSecretIs256BitsThenDecoded() {
		byte[] secret = new byte[32];
		secret[31] = 7;
		TokenProperties properties = bind(Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret",
				Base64.getEncoder().encodeToString(secret)));
		assertThat(properties.signing().secretBytes()).isEqualTo(secret);
	}

	@Test
	void bindWhenSecretIsUrlSafeBase64ThenDecoded() {
		byte[] secret = new byte[33];
		java.util.Arrays.fill(secret, (byte) 0xfb);
		String urlSafe = Base64.getUrlEncoder().encodeToString(secret);
		assertThat(urlSafe).contains("-", "_");
		TokenProperties properties = bind(
				Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret", urlSafe));
		assertThat(properties.signing().secretBytes()).isEqualTo(secret);
	}

	@Test
	void bindWhenSecretSpansLinesThenDecoded() {
		byte[] secret = new byte[48];
		secret[0] = 1;
		String wrapped = Base64.getMimeEncoder(16, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(secret);
		TokenProperties properties = bind(
				Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret", "  " + wrapped + "\n"));
		assertThat(properties.signing().secretBytes()).isEqualTo(secret);
	}

	@Test
	void bindWhenSecretShorterThan256BitsThenRefused() {
		String secret = Base64.getEncoder().encodeToString(new byte[31]);
		TollgateConfigurationException ex = refused(
				Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret", secret));
		assertThat(ex.key()).isEqualTo("tollgate.signing.secret");
		assertThat(ex.problem()).isEqualTo("is 248 bits; HS256 needs at least 256");
		assertThat(ex.fix()).contains("openssl rand -base64 32");
		assertThat(ex.getMessage()).doesNotContain(secret);
	}

	@ParameterizedTest
	@ValueSource(strings = { "not base64 at all, but long enough to pass a length check!!",
			"correct-horse-battery-staple-correct-horse-battery-staple",
			"c2VjcmV0*c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2Vj", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
			"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2Vj+_" })
	void bindWhenSecretNotBase64ThenRefused(String secret) {
		TollgateConfigurationException ex = refused(
				Map.of("tollgate.signing.algorithm", "HS256", "tollgate.signing.secret", secret));
		assertThat(ex.key()).isEqualTo("tollgate.signing.secret");
		assertThat(ex.problem()).isEqualTo("is not valid base64");
		assertThat(ex.getMessage()).doesNotContain(secret);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0s", "-5m", "0ms" })
	void bindWhenTtlNotPositiveThenRefused(String ttl) {
		TollgateConfigurationException ex = refused(Map.of("tollgate.access-token.ttl", ttl));
		assertThat(ex.key()).isEqualTo("tollgate.access-token.ttl");
		assertThat(ex.problem()).endsWith("must be positive");
		assertThat(ex.fix()).isEqualTo("use a positive duration such as 15m");
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1s", "6m", "1h" })
	void bindWhenClockSkewOutOfRangeThenRefused(String skew) {
		TollgateConfigurationException ex = refused(Map.of("tollgate.access-token.clock-skew", skew));
		assertThat(ex.key()).isEqualTo("tollgate.access-token.clock-skew");
		assertThat(ex.problem()).endsWith("outside 0s..5m");
	}

	@Test
	void bindWhenClockSkewZeroThenAccepted() {
		assertThat(bind(Map.of("tollgate.access-token.clock-skew", "0s")).accessToken().clockSkew()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "tollgate.issuer", "tollgate.audience" })
	void bindWhenIssuerOrAudienceBlankThenRefused(String key) {
		TollgateConfigurationException ex = refused(Map.of(key, "  "));
		assertThat(ex.key()).isEqualTo(key);
		assertThat(ex.problem()).isEqualTo("is empty");
	}

	@Test
	void bindWhenNoForwardedHeaderSetThenAuto() {
		assertThat(bind(Map.of("tollgate.issuer", "tollgate")).clientAddress().forwardedHeader()).isEqualTo("auto");
	}

	@ParameterizedTest
	@ValueSource(strings = { "auto", "x-forwarded-for", "X-Forwarded-For", "forwarded", " Forwarded " })
	void bindWhenForwardedHeaderKnownThenAcceptedInLowerCase(String header) {
		assertThat(bind(Map.of("tollgate.client-address.forwarded-header", header)).clientAddress().forwardedHeader())
			.isEqualTo(header.strip().toLowerCase(java.util.Locale.ROOT));
	}

	@ParameterizedTest
	@ValueSource(strings = { "x-real-ip", "both", "" })
	void bindWhenForwardedHeaderUnknownThenRefusedNamingTheKey(String header) {
		TollgateConfigurationException ex = refused(Map.of("tollgate.client-address.forwarded-header", header));
		assertThat(ex.key()).isEqualTo("tollgate.client-address.forwarded-header");
		assertThat(ex.fix()).contains("auto", "x-forwarded-for", "forwarded");
	}

	@Test
	void bindWhenTtlNotADurationThenBindingFailsNamingTheKey() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("tollgate.access-token.ttl", "soon")))
			.satisfies((ex) -> assertThat(ex.getName().toString()).isEqualTo("tollgate.access-token.ttl"));
	}

}
