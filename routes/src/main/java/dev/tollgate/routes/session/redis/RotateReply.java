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

	/**
	 * The element at {@code index}, or {@code null} when the reply is shorter: a script
	 * of the previous version, still running on a node while the gateways are upgraded,
	 * answers without it.
	 */
	private static String optional(List<String> reply, int index) {
		return (reply.size() > index) ? reply.get(index) : null;
	}

	static RotateReply decode(List<String> reply) {
		return switch (reply.get(0)) {
			case "ROTATED" -> new Rotated(reply.get(1), StoredRoles.decode(reply.get(2)), Long.parseLong(reply.get(3)),
					reply.get(4), checks(reply.get(5)), optional(reply, 6));
			case "RETRIED" -> new Retried(reply.get(1), StoredRoles.decode(reply.get(2)), Long.parseLong(reply.get(3)),
					reply.get(4), checks(reply.get(5)), reply.get(6), reply.get(7), optional(reply, 8));
			case "KEY_MISMATCH" -> new KeyMismatch(reply.get(1), StoredRoles.decode(reply.get(2)), reply.get(3));
			case "MISMATCH" -> new Mismatch(checks(reply.get(3)));
			case "REUSED" -> Reused.INSTANCE;
			case "VERIFY" -> new Verify(reply.get(1));
			default -> Unchanged.INSTANCE;
		};
	}

	/**
	 * The current token was consumed: {@code {'ROTATED', user, roles, expiresAt,
	 * successor's tag, failed checks, jkt}}.
	 *
	 * @param userId the session's user
	 * @param roles the session's roles
	 * @param expiresAt when the successor expires (epoch ms)
	 * @param successorTag the successor's tag (hexadecimal), which the script computed
	 * @param failedChecks the binding checks the presenting client failed (audited)
	 * @param keyThumbprint the DPoP key the session is bound to; empty or {@code null}
	 * for a bearer session
	 */
	record Rotated(String userId, List<String> roles, long expiresAt, String successorTag, List<String> failedChecks,
			String keyThumbprint) implements RotateReply {
	}

	/**
	 * The immediate predecessor, still retriable:
	 * {@code {'RETRIED', user, roles, expiresAt, successor's salt, failed checks,
	 * successor's tag, key, jkt}}.
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
	 * @param keyThumbprint the DPoP key the session is bound to; empty or {@code null}
	 * for a bearer session
	 */
	record Retried(String userId, List<String> roles, long expiresAt, String successorSalt, List<String> failedChecks,
			String successorTag, String previousFormatKey, String keyThumbprint) implements RotateReply {

		/**
		 * Whether the successor was handed out with a tag of the previous format (before
		 * the session's upgrade).
		 */
		boolean previousFormat() {
			return this.successorTag.isEmpty();
		}

	}

	/**
	 * The session is bound to a DPoP key and the refresh proved no key or another one
	 * (RFC 9449 §5): {@code {'KEY_MISMATCH', user, roles, jkt}}. Nothing was rotated;
	 * under {@code enforce} the caller ends the session.
	 *
	 * @param userId the session's user
	 * @param roles the session's roles
	 * @param keyThumbprint the key the session is bound to
	 */
	record KeyMismatch(String userId, List<String> roles, String keyThumbprint) implements RotateReply {
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
