package dev.tollgate.routes.session.memory;

import java.time.Duration;
import java.util.List;

import dev.tollgate.routes.client.BindingSettings;
import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MemoryRotation} as a function: the same inputs give the same step, and the
 * session it is given is never changed (the store puts the step's session in its place).
 * The rotation rules themselves are the table of {@code RotationCases}, run against the
 * store.
 */
class MemoryRotationTests {

	private static final long NOW = 1_000_000;

	private final RefreshTokenCodec codec = new RefreshTokenCodec();

	private final MemoryRotation rotation = new MemoryRotation(this.codec, new SessionSettings(Duration.ofMinutes(10),
			Duration.ofMinutes(30), Duration.ofSeconds(5), 50, BindingSettings.OFF));

	private final String key = this.codec.newTagKey();

	private final RefreshTokenCodec.Draft first = this.codec.draft(this.codec.newSessionId(), 0);

	private final StoredSession stored = StoredSession.started(new Session(this.first.sessionId(), "alice", List.of()),
			NOW, NOW + Duration.ofMinutes(30).toMillis(), this.codec.hash(this.first.nonce()),
			NOW + Duration.ofMinutes(10).toMillis(), this.key, ClientBinding.NONE);

	@Test
	void rotateWhenCurrentThenTheNextSessionAndTheGivenOneUnchanged() {
		RefreshTokenCodec.Parsed presented = this.codec.parse(this.codec.token(this.first, this.key));
		String salt = this.codec.successorSalt();
		RefreshTokenCodec.Draft next = this.codec.successor(presented, salt);
		StoredSession before = new StoredSession(this.stored.session(), this.stored.createdAt(),
				this.stored.lastRefreshedAt(), this.stored.sessionExpiresAt(), this.stored.generation(),
				this.stored.current(), this.stored.currentExpiresAt(), this.stored.key(), this.stored.previous(),
				this.stored.rotatedAt(), this.stored.successor(), this.stored.binding());

		MemoryRotation.Step step = this.rotation.rotate(this.stored, presented, ClientBinding.NONE, null, NOW + 1, next,
				salt);
		MemoryRotation.Step again = this.rotation.rotate(this.stored, presented, ClientBinding.NONE, null, NOW + 1,
				next, salt);

		assertThat(this.stored).isEqualTo(before);
		assertThat(step).isEqualTo(again);
		assertThat(step.answer().outcome()).isEqualTo(Rotation.Outcome.ROTATED);
		assertThat(step.next().generation()).isEqualTo(1);
		assertThat(step.next().previous()).isEqualTo(this.stored.current());
		assertThat(step.ended()).isNull();
	}

	@Test
	void rotateWhenExpiredThenTheSessionGoesWithoutAnEnd() {
		RefreshTokenCodec.Parsed presented = this.codec.parse(this.codec.token(this.first, this.key));
		String salt = this.codec.successorSalt();

		MemoryRotation.Step step = this.rotation.rotate(this.stored, presented, ClientBinding.NONE, null,
				this.stored.currentExpiresAt(), this.codec.successor(presented, salt), salt);

		assertThat(step.next()).isNull();
		assertThat(step.ended()).isNull();
		assertThat(step.answer().outcome()).isEqualTo(Rotation.Outcome.INVALID);
	}

}
