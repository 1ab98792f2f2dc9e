package dev.tollgate.routes.observe;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void recordWhenAnOperatorActedThenTheLineNamesTheOperator(CapturedOutput output) {
		try (AuditLog audit = new AuditLog((event) -> {
		})) {
			audit.record(new SessionRevoked(this,
					new TollgateAuditEvent.Details("u-1001", "s-1", null, null, "operator", "op-7")));
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> output.getOut().contains("event=session_revoked"));
		assertThat(output.getOut())
			.contains("event=session_revoked user=\"u-1001\" session=\"s-1\" reason=\"operator\" actor=\"op-7\"");
	}

}
