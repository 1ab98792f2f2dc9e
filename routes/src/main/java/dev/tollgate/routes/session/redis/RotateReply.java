package dev.tollgate.routes.session.redis;

import java.util.List;

/**
 * The reply of {@code session_rotate.lua}, by its first element. Whatever a variant does
 * not name is not in the reply.
 */
sealed interface RotateReply {

	/** The failed checks as the script lists them: comma-separated, empty for none. */
	private static List<String> checks(String reported) {
		return (reported == null || reported.isEmpty()) ? List.of() : List.of(reported.split(","));
	}

	static RotateReply decode(List<String> reply) {
		return switch (reply.get(0)) {
			case "ROTATED" -> new Rotated(reply.get(1), StoredRoles.decode(reply.get(2)), Long.parseLong(reply.get(3)),
					reply.get(4), checks(reply.get(5)));
			case "RETRIED" -> new Retried(reply.get(1), StoredRoles.decode(reply.get(2)), Long.parseLong(reply.get(3)),
					reply.get(4), checks(reply.get(5)), reply.get(6), reply.get(7));
			case "MISMATCH" -> new Mismatch(checks(reply.get(3)));
			case "REUSED" -> Reused.INSTANCE;
			case "VERIFY" -> new Verify(reply.get(1));
			default -> Unchanged.INSTANCE;
		};
	}

	/**
	 * The current token was consumed: {@code {'ROTATED', user, roles, expiresAt,
	 * successor's tag, failed checks}}.
	 *
	 * @param userId the session's user
	 * @param roles the session's roles
	 * @param expiresAt when the successor expires (epoch ms)
	 * @param successorTag the successor's tag (hexadecimal), which the script computed
	 * @param failedChecks the binding checks the presenting client failed (audited)
	 */
	record Rotated(String userId, List<String> roles, long expiresAt, String successorTag,
			List<String> failedChecks) implements RotateReply {
	}

	/**
	 * The immediate predecessor, still retriable:
	 * {@code {'RETRIED', user, roles, expiresAt, successor's salt, failed checks,
	 * successor's tag, key}}.
	 *
	 * @param userId the session's user
	 * @param roles the session's roles
	 * @param expiresAt when the successor expires (epoch ms)
	 * @param successorSalt the salt the successor was derived from
	 * @param failedChecks the binding checks the presenting client failed (audited)
	 * @param successorTag the successor's tag (hexadecimal), empty when the successor has
	 * a tag of the previous format
	 * @param previousFormatKey the session's key when the successor has a tag of the
	 * previous format, else empty
	 */
	record Retried(String userId, List<String> roles, long expiresAt, String successorSalt, List<String> failedChecks,
			String successorTag, String previousFormatKey) implements RotateReply {

		/**
		 * Whether the successor was handed out with a tag of the previous format (before
		 * the session's upgrade).
		 */
		boolean previousFormat() {
			return this.successorTag.isEmpty();
		}

	}

	/**
	 * The presenting client failed a binding check under {@code enforce}:
	 * {@code {'MISMATCH', user, roles, failed checks}}. Nothing was rotated; the caller
	 * ends the session.
	 *
	 * @param failedChecks the checks it failed
	 */
	record Mismatch(List<String> failedChecks) implements RotateReply {
	}

	/**
	 * An earlier token of the session, in its one spelling: {@code {'REUSED'}}. The
	 * caller ends the session.
	 */
	enum Reused implements RotateReply {

		INSTANCE

	}

	/**
	 * A token of the previous format, whose tag only the gateway can check:
	 * {@code {'VERIFY', key}}. The caller checks it and runs the script again saying so.
	 *
	 * @param key the session's key
	 */
	record Verify(String key) implements RotateReply {
	}

	/**
	 * Nothing for the client: {@code {'INVALID'}} (no such live session, or not a token
	 * it issued in this spelling), or in mode {@code mark} {@code {'MARKED'}} or
	 * {@code {'UNCHANGED'}}.
	 */
	enum Unchanged implements RotateReply {

		INSTANCE

	}

}
