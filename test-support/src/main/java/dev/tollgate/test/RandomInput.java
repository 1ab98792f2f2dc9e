package dev.tollgate.test;

import java.util.List;
import java.util.Random;

/**
 * Hostile input for seeded fuzzing: JSON text (sometimes not well-formed, deeply nested,
 * with huge numbers, unicode and wrong types), strings and bytes. Everything comes from
 * the given {@link Random}, so that a seed replays a run.
 */
public final class RandomInput {

	private static final String[] NUMBERS = { "0", "-1", "1e309", "-1e309", "1.7976931348623157e308", "4.9e-324",
			"123456789012345678901234567890", "-9223372036854775809", "9223372036854775808", "18446744073709551616",
			"1e2147483648", "0.000000000000000000001", "-0", "1E+2", "253402300800", "99999999999999999" };

	private static final String[] TEXTS = { "", "at+jwt", "RS256", "HS256", "ES256", "EdDSA", "none", "tollgate", "api",
			"\u0000", "\uD83D\uDE00", "\uD800", "\u202E", "\\u0000", "A".repeat(5000), "'\"<>&", "\u00e9t\u00e9", "a.b",
			"{a}.b" };

	private static final String[] MALFORMED = { "{", "[".repeat(2000), "{\"a\":1,}", "\"unterminated", "{\"a\" 1}",
			"nul", "[1,]", "{'a':1}", "\uFEFF{}" };

	private RandomInput() {
	}

	/**
	 * A JSON value (an object most often) whose member names come from {@code names};
	 * sometimes not JSON.
	 */
	public static String json(Random random, List<String> names) {
		return json(random, names, 0);
	}

	private static String json(Random random, List<String> names, int depth) {
		return switch (random.nextInt((depth > 6) ? 5 : 8)) {
			case 0 -> number(random);
			case 1 -> quote(text(random));
			case 2 -> new String[] { "true", "false", "null" }[random.nextInt(3)];
			case 3 -> Long.toString(random.nextLong());
			case 4 -> MALFORMED[random.nextInt(MALFORMED.length)];
			case 5 -> {
				StringBuilder array = new StringBuilder("[");
				int size = random.nextInt(4);
				for (int i = 0; i < size; i++) {
					array.append((i > 0) ? "," : "").append(json(random, names, depth + 1));
				}
				yield array.append(']').toString();
			}
			default -> {
				StringBuilder object = new StringBuilder("{");
				int size = random.nextInt(5);
				for (int i = 0; i < size; i++) {
					object.append((i > 0) ? "," : "")
						.append(quote(names.get(random.nextInt(names.size()))))
						.append(':')
						.append(json(random, names, depth + 1));
				}
				yield object.append('}').toString();
			}
		};
	}

	/** A JSON number literal, often one no 64-bit type holds. */
	public static String number(Random random) {
		return NUMBERS[random.nextInt(NUMBERS.length)];
	}

	/**
	 * A string: empty, huge, control characters, lone surrogates, bidi overrides, or
	 * random UTF-16 units.
	 */
	public static String text(Random random) {
		if (random.nextInt(4) > 0) {
			return TEXTS[random.nextInt(TEXTS.length)];
		}
		char[] chars = new char[random.nextInt(40)];
		for (int i = 0; i < chars.length; i++) {
			chars[i] = (char) random.nextInt(Character.MAX_VALUE + 1);
		}
		return new String(chars);
	}

	/** Up to {@code max} random bytes: mostly not valid UTF-8. */
	public static byte[] bytes(Random random, int max) {
		byte[] bytes = new byte[random.nextInt(max + 1)];
		random.nextBytes(bytes);
		return bytes;
	}

	/** {@code text} as a JSON string literal. */
	public static String quote(String text) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : text.toCharArray()) {
			if (c == '"' || c == '\\') {
				quoted.append('\\').append(c);
			}
			else if (c < 0x20) {
				quoted.append("\\u%04x".formatted((int) c));
			}
			else {
				quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
