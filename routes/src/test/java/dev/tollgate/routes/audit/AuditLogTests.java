package dev.tollgate.routes.audit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AuditLogTests {

	@Test
	void lineWhenValuesPlainThenQuotedPairs() {
		assertThat(AuditLog.line("login_succeeded", "user", "u-1001", "family", "f1"))
			.isEqualTo("event=login_succeeded user=\"u-1001\" family=\"f1\"");
	}

	@Test
	void lineWhenValueTriesToForgeFieldsThenItStaysOneQuotedValue() {
		String line = AuditLog.line("login_failed", "user", "alice\" event=refresh_token_reuse_detected user=\"u-root",
				"reason", "x");
		assertThat(line).isEqualTo(
				"event=login_failed user=\"alice\\\" event=refresh_token_reuse_detected user=\\\"u-root\" reason=\"x\"");
	}

	@Test
	void lineWhenValueHoldsLineBreaksOrBackslashThenEscapedOnOneLine() {
		String line = AuditLog.line("login_failed", "user", "a\r\nevent=logout\\", "reason", null);
		assertThat(line).isEqualTo("event=login_failed user=\"a\\u000d\\u000aevent=logout\\\\\"");
		assertThat(line).doesNotContain("\n").doesNotContain("\r");
	}

}
