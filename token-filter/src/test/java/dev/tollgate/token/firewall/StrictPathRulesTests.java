package dev.tollgate.token.firewall;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class StrictPathRulesTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			/public/../api/x            | dot-segment in path
			/public/..                  | dot-segment in path
			/public/./x                 | dot-segment in path
			/.                          | dot-segment in path
			/api/../admin/x             | dot-segment in path
			/public/%2e%2e/api/x        | encoded period in path
			/public/%2E%2E/api/x        | encoded period in path
			/public/.%2e/api/x          | encoded period in path
			/public/%2e./api/x          | encoded period in path
			/public/..%2fapi/x          | encoded slash in path
			/public/..%2Fapi/x          | encoded slash in path
			/public/..%5capi/x          | encoded backslash in path
			/public/..%5Capi/x          | encoded backslash in path
			/public/..\\api/x           | backslash in path
			/public/..;/api/x           | path parameter in path
			/public/;x/../api/x         | path parameter in path
			/public/x;jsessionid=1      | path parameter in path
			/public/x%3b/../api         | path parameter in path
			/public/x%00y               | encoded control character in path
			/public/x%0ay               | encoded control character in path
			/public/x%7fy               | encoded control character in path
			/public/%252e%252e/api      | encoded percent in path
			/public/x%2                 | malformed percent-encoding in path
			/public/x%zz                | malformed percent-encoding in path
			//api/x                     | empty path segment
			/public//api                | empty path segment
			""")
	void rejectionWhenPathCouldResolveElsewhereThenRefusedWithReason(String path, String reason) {
		assertThat(StrictPathRules.rejection(path)).isEqualTo(reason);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/public/x\u0000y", "/public/caf\u00e9", "/public/a\tb", "/public/a b" })
	void rejectionWhenRawCharacterOutsidePrintableAsciiThenRefused(String path) {
		assertThat(StrictPathRules.rejection(path)).isEqualTo("invalid character in path");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/", "/api/orders", "/api/orders/", "/public/a%20b", "/public/caf%C3%A9",
			"/public/%E2%82%AC", "/api/v1.2/file.tar.gz", "/api/...", "/api/.hidden", "/api/..x", "/api/x..",
			"/api/~user/a-b_c", "/api/a+b", "/api/%41", "" })
	void rejectionWhenLegitimatePathThenNull(String path) {
		assertThat(StrictPathRules.rejection(path)).isNull();
	}

}
