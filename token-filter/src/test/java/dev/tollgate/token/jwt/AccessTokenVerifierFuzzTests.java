package dev.tollgate.token.jwt;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.crypto.Mac;

import dev.tollgate.test.RandomInput;
import dev.tollgate.token.error.TollgateErrorException;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static dev.tollgate.token.jwt.TokenFixture.b64;
import static dev.tollgate.token.jwt.TokenFixture.claims;
import static dev.tollgate.token.jwt.TokenFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Seeded random fuzzing of {@link AccessTokenVerifier}: tokens of every configured
 * algorithm, mutated (bit flips, truncations, segment swaps, random base64url, random
 * JSON in the header or payload, signed with the real key or not, huge numbers, unicode).
 * The verifier never throws anything but its own rejection and never accepts a token
 * whose signature the key did not make. A failure names the seed; replay it with
 * {@code -Dtollgate.fuzz.seed=...}.
 */
class AccessTokenVerifierFuzzTests {

	private static final int CASES = 20_000;

	private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final List<String> NAMES = List.of("alg", "typ", "kid", "crit", "jwk", "jku", "x5u", "x5c", "b64",
			"zip", "cty", "iss", "aud", "sub", "exp", "nbf", "iat", "jti", "sid", "roles", "__proto__", "");

	private final Map<SigningAlgorithm, TokenFixture> fixtures = new EnumMap<>(SigningAlgorithm.class);

	/**
	 * Per algorithm: a valid token, then valid tokens for other claims (signing them each
	 * time is slow).
	 */
	private final Map<SigningAlgorithm, List<String>> signed = new EnumMap<>(SigningAlgorithm.class);

	@Test
	void verifyWhenFedMutatedTokensThenOnlyItsRejectionAndNothingUnsignedAccepted() {
		long seed = Long.getLong("tollgate.fuzz.seed", System.nanoTime());
		Random random = new Random(seed);
		SigningAlgorithm[] algorithms = SigningAlgorithm.values();
		int accepted = 0;
		int rejected = 0;
		for (int i = 0; i < CASES; i++) {
			TokenFixture fixture = fixture(algorithms[random.nextInt(algorithms.length)]);
			String token = mutate(random, fixture, tokens(fixture));
			boolean passed;
			try {
				fixture.verifier.verify(token);
				passed = true;
			}
			catch (TollgateErrorException ex) {
				if (!"invalid_token".equals(ex.error().code()) || ex.error().status() != HttpStatus.UNAUTHORIZED) {
					fail("seed %d, case %d (%s): rejected as %s: %s", seed, i, fixture.algorithm, ex.getMessage(),
							abbreviate(token));
				}
				passed = false;
			}
			catch (RuntimeException | Error ex) {
				throw new AssertionError(
						"seed %d, case %d (%s): %s for %s".formatted(seed, i, fixture.algorithm, ex, abbreviate(token)),
						ex);
			}
			if (passed && !signedByKey(fixture, token)) {
				fail("seed %d, case %d (%s): accepted a token the key did not sign: %s", seed, i, fixture.algorithm,
						token);
			}
			accepted += passed ? 1 : 0;
			rejected += passed ? 0 : 1;
		}
		System.out.printf("AccessTokenVerifier fuzzed with seed %d: %d tokens, %d accepted (signed by the key), "
				+ "%d rejected%n", seed, CASES, accepted, rejected);
		assertThat(accepted + rejected).isEqualTo(CASES);
		assertThat(rejected).as("mutations that break the token").isGreaterThan(CASES / 2);
	}

	private TokenFixture fixture(SigningAlgorithm algorithm) {
		return this.fixtures.computeIfAbsent(algorithm, TokenFixture::of);
	}

	private List<String> tokens(TokenFixture fixture) {
		return this.signed.computeIfAbsent(fixture.algorithm, (algorithm) -> {
			List<String> tokens = new ArrayList<>(List.of(fixture.token(fixture.header(), claims())));
			tokens.add(fixture.token(fixture.header(), TokenFixture.with(claims(), "exp", 1)));
			for (int i = 0; i < 8; i++) {
				tokens.add(fixture.token(fixture.header(), TokenFixture.with(claims(), "sub", "user-" + i)));
			}
			return tokens;
		});
	}

	private static String mutate(Random random, TokenFixture fixture, List<String> tokens) {
		String valid = tokens.get(0);
		String other = tokens.get(1 + random.nextInt(tokens.size() - 1));
		return switch (random.nextInt(12)) {
			case 0 -> flipBits(random, valid);
			case 1 -> valid.substring(0, random.nextInt(valid.length()));
			case 2 -> cut(random, valid);
			case 3 -> shuffleSegments(random, valid, other);
			case 4 -> randomBase64Url(random);
			case 5 -> insertUnicode(random, valid);
			// random JSON where a JSON object belongs, signed with the real key: the
			// claim and header checks
			case 6 -> fixture.token(RandomInput.json(random, NAMES), json(claims()));
			case 7 -> fixture.token(json(fixture.header()), RandomInput.json(random, NAMES));
			// one member of a valid header or payload replaced by a random value (huge
			// numbers, wrong types)
			case 8 -> fixture.token(json(fixture.header()), withMember(random, json(claims())));
			case 9 -> fixture.token(withMember(random, json(fixture.header())), json(claims()));
			// the real signature under another header or payload
			case 10 -> withSignatureOf(valid, other, random.nextBoolean());
			default -> oversized(random, valid);
		};
	}

	private static String flipBits(Random random, String token) {
		char[] chars = token.toCharArray();
		int flips = 1 + random.nextInt(4);
		for (int i = 0; i < flips; i++) {
			int at = random.nextInt(chars.length);
			chars[at] = (char) (chars[at] ^ (1 << random.nextInt(random.nextBoolean() ? 7 : 16)));
		}
		return new String(chars);
	}

	private static String cut(Random random, String token) {
		int from = random.nextInt(token.length());
		int to = from + random.nextInt(token.length() - from + 1);
		return token.substring(0, from) + token.substring(to);
	}

	private static String shuffleSegments(Random random, String token, String other) {
		List<String> segments = new ArrayList<>(Arrays.asList(token.split("\\.", -1)));
		segments.add(other.split("\\.")[random.nextInt(3)]);
		int count = random.nextInt(6);
		List<String> picked = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			picked.add(segments.get(random.nextInt(segments.size())));
		}
		return String.join(random.nextInt(8) == 0 ? ".." : ".", picked);
	}

	private static String randomBase64Url(Random random) {
		StringBuilder token = new StringBuilder();
		int segments = 1 + random.nextInt(4);
		for (int s = 0; s < segments; s++) {
			if (s > 0) {
				token.append('.');
			}
			int length = random.nextInt(random.nextBoolean() ? 8 : 400);
			for (int i = 0; i < length; i++) {
				token.append(BASE64URL.charAt(random.nextInt(BASE64URL.length())));
			}
		}
		return token.toString();
	}

	private static String insertUnicode(Random random, String token) {
		StringBuilder mutated = new StringBuilder(token);
		int count = 1 + random.nextInt(3);
		for (int i = 0; i < count; i++) {
			String text = RandomInput.text(random);
			mutated.insert(random.nextInt(mutated.length() + 1), text.substring(0, Math.min(text.length(), 3)));
		}
		return mutated.toString();
	}

	private static String withSignatureOf(String token, String other, boolean keepHeader) {
		String[] mine = token.split("\\.");
		String[] theirs = other.split("\\.");
		return keepHeader ? mine[0] + "." + mine[1] + "." + theirs[2] : theirs[0] + "." + mine[1] + "." + mine[2];
	}

	private static String oversized(Random random, String token) {
		int at = token.indexOf('.') + 1;
		return token.substring(0, at) + "A".repeat(AccessTokenVerifier.MAX_TOKEN_LENGTH - 200 + random.nextInt(400))
				+ token.substring(at);
	}

	/** {@code object} (JSON) with one member, known or not, set to a random value. */
	private static String withMember(Random random, String object) {
		String name = NAMES.get(random.nextInt(NAMES.size()));
		String member = RandomInput.quote(name) + ":" + RandomInput.json(random, NAMES);
		// appended last: a duplicate of an existing member (which the parser must refuse)
		// or a new one
		return object.substring(0, object.length() - 1) + "," + member + "}";
	}

	/**
	 * Whether the token's signature verifies with the key, checked with plain JCA,
	 * independently of jjwt.
	 */
	private static boolean signedByKey(TokenFixture fixture, String token) {
		String[] parts = token.split("\\.", -1);
		if (parts.length != 3) {
			return false;
		}
		byte[] input = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
		try {
			byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
			if (!b64(signature).equals(parts[2])) {
				return false;
			}
			Key key = fixture.keys.verificationKey(fixture.keys.signingKeyId());
			if (fixture.algorithm.isSymmetric()) {
				Mac mac = Mac.getInstance("HmacSHA256");
				mac.init(key);
				return MessageDigest.isEqual(mac.doFinal(input), signature);
			}
			Signature verifier = Signature.getInstance(switch (fixture.algorithm) {
				case RS256 -> "SHA256withRSA";
				case ES256 -> "SHA256withECDSAinP1363Format";
				default -> "EdDSA";
			});
			verifier.initVerify((PublicKey) key);
			verifier.update(input);
			return verifier.verify(signature);
		}
		catch (IllegalArgumentException | GeneralSecurityException ex) {
			return false;
		}
	}

	private static String abbreviate(String token) {
		return (token.length() <= 300) ? token : token.substring(0, 300) + "... (" + token.length() + " chars)";
	}

}
