package dev.tollgate.routes.login;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.tollgate.routes.login.UserServiceAnswer.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link UserServiceAnswer}: what a 2xx answer of the user service vouches for, or
 * nothing usable.
 */
class UserServiceAnswerTests {

	private static Identity identity(String json) {
		return UserServiceAnswer.identity(json.getBytes(StandardCharsets.UTF_8), "userId", "roles");
	}

	@Test
	void identityWhenUserIdAndRolesThenBoth() {
		assertThat(identity("{\"userId\":\"u-1001\",\"roles\":[\"user\",\"admin\"],\"name\":\"Alice\"}"))
			.isEqualTo(new Identity("u-1001", List.of("user", "admin")));
	}

	@Test
	void identityWhenNoRolesOrNullRolesThenNone() {
		assertThat(identity("{\"userId\":\"u-1001\"}")).isEqualTo(new Identity("u-1001", List.of()));
		assertThat(identity("{\"userId\":\"u-1001\",\"roles\":null}")).isEqualTo(new Identity("u-1001", List.of()));
	}

	@Test
	void identityWhenOtherFieldNamesThenThose() {
		assertThat(UserServiceAnswer.identity("{\"sub\":\"u-7\",\"groups\":[\"ops\"]}".getBytes(StandardCharsets.UTF_8),
				"sub", "groups"))
			.isEqualTo(new Identity("u-7", List.of("ops")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not json", "[]", "{}", "{\"userId\":7}", "{\"userId\":\"\"}", "{\"userId\":\"a,b\"}",
			"{\"userId\":\"a b\"}", "{\"userId\":\"u\",\"roles\":\"admin\"}", "{\"userId\":\"u\",\"roles\":[1]}",
			"{\"userId\":\"u\",\"roles\":[\"a,b\"]}", "{\"userId\":\"u\",\"userId\":\"v\"}" })
	void identityWhenUnusableThenNone(String answer) {
		assertThat(identity(answer)).as(answer).isNull();
	}

}
