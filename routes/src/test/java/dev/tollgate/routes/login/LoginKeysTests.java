package dev.tollgate.routes.login;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class LoginKeysTests {

	private static String user(String username) {
		return LoginKeys.user(new LoginAttempt(username, "198.51.100.1"));
	}

	private static String address(String clientIp) {
		return LoginKeys.address(new LoginAttempt("alice", clientIp));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Alice", "ALICE", " alice ", "alice\u00A0", "\u00A0alice", "\u3000alice\u3000",
			"\uFF41\uFF4C\uFF49\uFF43\uFF45", "\uFF21\uFF2C\uFF29\uFF23\uFF25", "\tALICE\n" })
	void userWhenTheSameNameInAnotherCaseWidthOrSpacingThenOneKey(String spelling) {
		assertThat(user(spelling)).isEqualTo(user("alice"));
	}

	@Test
	void userWhenSharpSOrItsCapitalFormsThenOneKey() {
		assertThat(user("straße")).isEqualTo(user("strasse")).isEqualTo(user("STRASSE")).isEqualTo(user("STRAẞE"));
	}

	@Test
	void userWhenCompatibilityFormsThenOneKey() {
		// the "fi" ligature and a superscript two are NFKC-equal to "fi" and "2"
		assertThat(user("\uFB01nn\u00B2")).isEqualTo(user("finn2"));
	}

	@Test
	void userWhenAnotherNameOrNoneThenAnotherKey() {
		assertThat(user("alice")).isNotEqualTo(user("bob"))
			.isNotEqualTo(user("alice2"))
			.isNotEqualTo(user(null))
			.hasSize(22);
		assertThat(user(null)).isEqualTo(user("   "));
	}

	@Test
	void addressWhenIpv6InOneSlash64ThenOneKey() {
		assertThat(address("2001:db8:1:2::1")).isEqualTo(address("2001:db8:1:2:ffff:ffff:ffff:ffff"))
			.isEqualTo(address("2001:0db8:0001:0002:0000:0000:0000:0009"));
	}

	@Test
	void addressWhenAnotherSlash64ThenAnotherKey() {
		assertThat(address("2001:db8:1:2::1")).isNotEqualTo(address("2001:db8:1:3::1"))
			.isNotEqualTo(address("2001:db9:1:2::1"));
	}

	@Test
	void addressWhenIpv4ThenEachAddressItsOwnKey() {
		assertThat(address("198.51.100.1")).isNotEqualTo(address("198.51.100.2"));
		assertThat(address("198.51.100.1")).as("an IPv4-mapped IPv6 address is the IPv4 address")
			.isEqualTo(address("::ffff:198.51.100.1"))
			.isEqualTo(address("::ffff:c633:6401"));
	}

	@Test
	void addressWhenUnknownThenOneKeyForEveryUnknownClient() {
		assertThat(address(null)).isEqualTo(address(null)).isNotEqualTo(address("198.51.100.1")).hasSize(22);
	}

}
