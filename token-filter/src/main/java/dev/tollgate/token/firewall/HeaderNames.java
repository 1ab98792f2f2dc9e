package dev.tollgate.token.firewall;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.springframework.http.HttpHeaders;

/**
 * Header-name comparison as the most lenient server behind the gateway might do it:
 * ignoring ASCII case and reading {@code _} as {@code -} (some servers fold
 * {@code X_User_Id} into {@code X-User-Id}). Allocation-free, since it runs on every
 * header of every request.
 */
public final class HeaderNames {

	/**
	 * The prefix of the identity headers; every client-sent header read as starting with
	 * it is removed.
	 */
	public static final String IDENTITY_PREFIX = "x-user-";

	private HeaderNames() {
	}

	/** Whether {@code name} is read as an identity header ({@code X-User-*}). */
	public static boolean isIdentity(CharSequence name) {
		return startsWith(name, IDENTITY_PREFIX);
	}

	/**
	 * Whether {@code name}, read leniently, starts with {@code lowerCasePrefix} (lower
	 * case, {@code -}).
	 */
	static boolean startsWith(CharSequence name, String lowerCasePrefix) {
		int length = lowerCasePrefix.length();
		if (name.length() < length) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			if (fold(name.charAt(i)) != lowerCasePrefix.charAt(i)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether {@code name}, read leniently, equals {@code lowerCaseName} (lower case,
	 * {@code -}).
	 */
	public static boolean matches(CharSequence name, String lowerCaseName) {
		return name.length() == lowerCaseName.length() && startsWith(name, lowerCaseName);
	}

	/**
	 * The names in {@code headers} that {@code test} accepts, in order, or {@code null}
	 * when none does. Walks the headers' own entries: {@link HttpHeaders#headerNames()}
	 * would first copy every name into a new case-insensitive set (lower-casing each), on
	 * every request.
	 */
	public static List<String> matching(HttpHeaders headers, Predicate<String> test) {
		Matches matches = new Matches(test);
		headers.forEach(matches);
		return matches.names;
	}

	private static final class Matches implements BiConsumer<String, List<String>> {

		private final Predicate<String> test;

		private List<String> names;

		Matches(Predicate<String> test) {
			this.test = test;
		}

		@Override
		public void accept(String name, List<String> values) {
			if (this.test.test(name)) {
				if (this.names == null) {
					this.names = new ArrayList<>(2);
				}
				this.names.add(name);
			}
		}

	}

	private static char fold(char c) {
		if (c >= 'A' && c <= 'Z') {
			return (char) (c + ('a' - 'A'));
		}
		return (c == '_') ? '-' : c;
	}

}
