package dev.tollgate.routes.session.redis;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import dev.tollgate.routes.client.ClientBinding;
import dev.tollgate.routes.session.RefreshTokenCodec;
import dev.tollgate.routes.session.Rotation;
import dev.tollgate.routes.session.Rotations;
import dev.tollgate.routes.session.Session;
import dev.tollgate.routes.session.SessionSettings;
import dev.tollgate.routes.session.StoreUnavailableException;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * A rotation in Redis: one run of {@code session_rotate.lua} (timed as store operation
 * {@code rotate}), which decides atomically, and the answer its {@link RotateReply}
 * makes. A reuse, or a binding or DPoP key mismatch under {@code enforce}, ends the
 * session ({@link SessionEnder}); a token of the previous format, whose tag only this
 * gateway can check, is checked here and the script run again saying so.
 * <p>
 * When the script may have run without its answer reaching the client (a timeout after
 * the command was sent, {@code WAIT} not acknowledged), the session is marked, best
 * effort, so that the token the client still holds is not taken for a spent one when it
 * comes back (the same script, in mode {@code mark}, on the same connection as the
 * rotation, so that it runs after it). The answer is 503 all the same.
 */
final class RedisRotation {

	@SuppressWarnings("rawtypes")
	private static final RedisScript<List> ROTATE = LuaScripts.load("session_rotate.lua");

	/**
	 * The position of the script's mode among its arguments ({@code rotate} or
	 * {@code mark}).
	 */
	private static final int MODE_ARGUMENT = 10;

	private final RefreshTokenCodec codec;

	private final SessionSettings settings;

	private final Clock clock;

	private final StoreCommands commands;

	private final SessionEnder ender;

	RedisRotation(RefreshTokenCodec codec, SessionSettings settings, Clock clock, StoreCommands commands,
			SessionEnder ender) {
		this.codec = codec;
		this.settings = settings;
		this.clock = clock;
		this.commands = commands;
		this.ender = ender;
	}

	/**
	 * Trades {@code presented} for its successor, in the presence of a client with
	 * {@code binding}.
	 */
	Mono<Rotation> rotate(RefreshTokenCodec.Parsed presented, ClientBinding binding, String keyThumbprint) {
		return rotate(presented, binding, (keyThumbprint != null) ? keyThumbprint : "", false);
	}

	/**
	 * Runs the script once. {@code verified}: this gateway has checked the presented
	 * token's tag, one of the previous format, which the script cannot check (it answered
	 * {@code VERIFY}).
	 */
	private Mono<Rotation> rotate(RefreshTokenCodec.Parsed presented, ClientBinding binding, String keyThumbprint,
			boolean verified) {
		String salt = this.codec.successorSalt();
		RefreshTokenCodec.Draft next = this.codec.successor(presented, salt);
		List<String> keys = List.of(RedisKeys.session(presented.sessionId()));
		List<String> arguments = new ArrayList<>(List.of(Integer.toString(presented.generation()),
				this.codec.hash(presented.nonce()), this.codec.tagHex(presented), Long.toString(this.clock.millis()),
				Long.toString(this.settings.ttl().toMillis()), Long.toString(this.settings.reuseGrace().toMillis()),
				this.codec.hash(next.nonce()), salt, this.settings.binding().enforced() ? "enforce" : "audit",
				verified ? "1" : "0", "rotate", keyThumbprint));
		arguments.addAll(binding.asArguments());
		return this.commands.script("rotate", ROTATE, keys, arguments)
			.onErrorResume(StoreUnavailableException.class,
					(ex) -> markUnconfirmed(keys, arguments, ex).then(Mono.error(ex)))
			.flatMap((reply) -> answer(RotateReply.decode(reply), presented, next, binding, keyThumbprint, verified));
	}

	private Mono<Rotation> answer(RotateReply reply, RefreshTokenCodec.Parsed presented, RefreshTokenCodec.Draft next,
			ClientBinding binding, String keyThumbprint, boolean verified) {
		if (reply instanceof RotateReply.Rotated rotated) {
			Session session = new Session(presented.sessionId(), rotated.userId(), rotated.roles(),
					rotated.keyThumbprint());
			return Mono.just(Rotations.rotated(this.codec.tagged(next, rotated.successorTag()), rotated.expiresAt(),
					session, rotated.failedChecks()));
		}
		if (reply instanceof RotateReply.Retried retried) {
			return Mono.just(retried(presented, retried));
		}
		if (reply instanceof RotateReply.KeyMismatch mismatch) {
			if (!this.settings.binding().enforced()) {
				return Mono.just(Rotations.keyMismatch(new Session(presented.sessionId(), mismatch.userId(),
						mismatch.roles(), mismatch.keyThumbprint()), false));
			}
			return this.ender.end("", presented.sessionId(), "dpop_key_mismatch")
				.map((session) -> Rotations.keyMismatch(session, true))
				.defaultIfEmpty(Rotations.invalid());
		}
		if (reply instanceof RotateReply.Mismatch mismatch) {
			return this.ender.end("", presented.sessionId(), "binding_mismatch")
				.map((session) -> Rotations.bindingMismatch(session, mismatch.failedChecks()))
				.defaultIfEmpty(Rotations.invalid());
		}
		if (reply == RotateReply.Reused.INSTANCE) {
			return this.ender.end("", presented.sessionId(), "reuse")
				.map(Rotations::reused)
				.defaultIfEmpty(Rotations.invalid());
		}
		if (reply instanceof RotateReply.Verify verify && !verified
				&& this.codec.authentic(presented, verify.key(), RefreshTokenCodec.PREVIOUS_FORMAT_ONLY)) {
			return rotate(presented, binding, keyThumbprint, true);
		}
		return Mono.just(Rotations.invalid());
	}

	/**
	 * The successor a retry gets: derived again from the presented token and the stored
	 * salt, tagged again.
	 */
	private Rotation retried(RefreshTokenCodec.Parsed presented, RotateReply.Retried reply) {
		RefreshTokenCodec.Draft successor = this.codec.successor(presented, reply.successorSalt());
		if (successor == null) {
			// the presented token was the session's, so only a damaged record gets here
			return Rotations.invalid();
		}
		String token = reply.previousFormat() ? this.codec.previousFormatToken(successor, reply.previousFormatKey())
				: this.codec.tagged(successor, reply.successorTag());
		return Rotations.retried(token, reply.expiresAt(),
				new Session(presented.sessionId(), reply.userId(), reply.roles(), reply.keyThumbprint()),
				reply.failedChecks());
	}

	/**
	 * Marks the session if the rotation with {@code rotation}'s arguments ran: its token
	 * stays retriable until the successor is rotated. Never waits for replicas (it would
	 * fail as the rotation did). When Redis answered (too few replicas acknowledged the
	 * rotation), the 503 waits for the mark, at most half the timeout, so that the
	 * client's retry finds it wherever it goes. When Redis did not answer, waiting would
	 * only delay the 503: the mark is sent on the rotation's connection, where Redis runs
	 * it after the rotation whenever it gets to them. A mark that cannot be written is
	 * given up: the token is then a retry within {@code reuse-grace} only.
	 */
	private Mono<Void> markUnconfirmed(List<String> keys, List<String> rotation, StoreUnavailableException failure) {
		List<String> arguments = new ArrayList<>(rotation);
		arguments.set(MODE_ARGUMENT, "mark");
		Mono<Void> mark = this.commands.bestEffort("mark", ROTATE, keys, arguments).then();
		if (failure.getCause() instanceof ReplicatedWrites.NotAcknowledgedException) {
			return mark;
		}
		mark.subscribe();
		return Mono.empty();
	}

}
