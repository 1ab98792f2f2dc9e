package dev.tollgate.routes.session.redis;

import java.util.Arrays;
import java.util.List;

import dev.tollgate.routes.session.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The decoders of the session scripts' replies, on replies shaped as each script
 * documents them.
 */
class ScriptRepliesTests {

	private static final String JKT = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

	@Test
	void rotateReplyWhenRotatedThenEveryField() {
		assertThat(RotateReply
			.decode(List.of("ROTATED", "alice", "admin\nops", "1700000000000", "ab12", "user-agent", JKT)))
			.isEqualTo(new RotateReply.Rotated("alice", List.of("admin", "ops"), 1700000000000L, "ab12",
					List.of("user-agent"), JKT));
	}

	@Test
	void rotateReplyWhenRotatedByAScriptWithoutTheKeyThumbprintThenABearerSession() {
		RotateReply.Rotated reply = (RotateReply.Rotated) RotateReply
			.decode(List.of("ROTATED", "alice", "", "1700000000000", "ab12", ""));
		assertThat(new Session("s1", reply.userId(), reply.roles(), reply.keyThumbprint()).bound()).isFalse();
	}

	@Test
	void rotateReplyWhenRetriedWithATagOfThePreviousFormatThenSaysSo() {
		RotateReply reply = RotateReply
			.decode(List.of("RETRIED", "alice", "", "1700000000000", "salt", "", "", "the-key", ""));
		assertThat(reply).isEqualTo(
				new RotateReply.Retried("alice", List.of(), 1700000000000L, "salt", List.of(), "", "the-key", ""));
		assertThat(((RotateReply.Retried) reply).previousFormat()).isTrue();
	}

	@Test
	void rotateReplyWhenKeyMismatchThenTheSessionAndItsKeyByName() {
		assertThat(RotateReply.decode(List.of("KEY_MISMATCH", "alice", "admin", JKT)))
			.isEqualTo(new RotateReply.KeyMismatch("alice", List.of("admin"), JKT));
	}

	@Test
	void rotateReplyWhenMismatchReusedOrVerifyThenThoseVariants() {
		assertThat(RotateReply.decode(List.of("MISMATCH", "alice", "", "user-agent,address-prefix")))
			.isEqualTo(new RotateReply.Mismatch(List.of("user-agent", "address-prefix")));
		assertThat(RotateReply.decode(List.of("REUSED"))).isSameAs(RotateReply.Reused.INSTANCE);
		assertThat(RotateReply.decode(List.of("VERIFY", "the-key"))).isEqualTo(new RotateReply.Verify("the-key"));
	}

	@Test
	void rotateReplyWhenInvalidMarkedOrUnchangedThenNothingForTheClient() {
		for (String first : List.of("INVALID", "MARKED", "UNCHANGED")) {
			assertThat(RotateReply.decode(List.of(first))).as(first).isSameAs(RotateReply.Unchanged.INSTANCE);
		}
	}

	@Test
	void endReplyWhenEndedThenTheSessionAndWhenUnknownThenNone() {
		assertThat(EndReply.decode("s1", List.of("ENDED", "alice", "admin", "")))
			.isEqualTo(new EndReply.Ended(new Session("s1", "alice", List.of("admin"))));
		assertThat(EndReply.decode("s1", List.of("ENDED", "alice", "admin", JKT)))
			.isEqualTo(new EndReply.Ended(new Session("s1", "alice", List.of("admin"), JKT)));
		assertThat(EndReply.decode("s1", List.of("UNKNOWN"))).isSameAs(EndReply.Unknown.INSTANCE);
	}

	@Test
	void createReplyWhenCreatedOrExistsThenThat() {
		assertThat(CreateReply.decode(List.of("CREATED"))).isEqualTo(CreateReply.CREATED);
		assertThat(CreateReply.decode(List.of("EXISTS"))).isEqualTo(CreateReply.EXISTS);
	}

	@Test
	void storedFieldsWhenTheHashIsGoneThenNone() {
		assertThat(StoredSessionFields.standing(Arrays.asList(null, null, null, null, null, null, null, null, null)))
			.isNull();
		assertThat(StoredSessionFields.listed(Arrays.asList(null, null, null, null))).isNull();
	}

	@Test
	void storedFieldsWhenASessionOfThePreviousFormatThenItsTagsAreAllOfThatFormat() {
		StoredSessionFields.Standing standing = StoredSessionFields
			.standing(Arrays.asList("alice", "1700000000000", "3", "cur", "prev", "1600000000000", null, "key", null));
		assertThat(standing.userId()).isEqualTo("alice");
		assertThat(standing.state().generation()).isEqualTo(3);
		assertThat(standing.state().unconfirmed()).isEqualTo(-1);
		assertThat(standing.state().currentFormatFrom()).isEqualTo(Integer.MAX_VALUE);
	}

}
