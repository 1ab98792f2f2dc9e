package dev.tollgate.routes.audit;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One structured line per security event on the logger {@code tollgate.audit}, as {@code key=value} pairs:
 * {@code event}, {@code user}, {@code family} and, for failures, {@code reason}. Never a token. Every value is
 * {@link #quote quoted}, so that no value (a user id is whatever the user service said) can end the line or
 * forge another field.
 * <p>
 * Lines are written by one thread of their own, off the request threads (an appender may block on I/O); when
 * its queue of {@value #QUEUE_CAPACITY} lines is full, the request thread writes the line itself rather than lose
 * it. {@link #close()} writes what is queued.
 */
public final class AuditLog implements AutoCloseable {

	/** Lines waiting for the audit thread before request threads write their own. */
	static final int QUEUE_CAPACITY = 10_000;

	private static final Log logger = LogFactory.getLog("tollgate.audit");

	private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new ArrayBlockingQueue<>(QUEUE_CAPACITY), AuditLog::newThread, new ThreadPoolExecutor.CallerRunsPolicy());

	/** A login that minted a session. */
	public void loginSucceeded(String userId, String familyId) {
		info(line("login_succeeded", "user", userId, "family", familyId));
	}

	/** A login refused by the user service, or that could not complete. */
	public void loginFailed(String reason) {
		info(line("login_failed", "reason", reason));
	}

	/** A refresh that rotated (or, within the grace window, re-answered) a session's refresh token. */
	public void refreshed(String userId, String familyId, boolean retry) {
		info(line(retry ? "refresh_retried" : "refresh_succeeded", "user", userId, "family", familyId));
	}

	/** A refresh with a token no live session knows. */
	public void refreshRejected(String reason) {
		info(line("refresh_rejected", "reason", reason));
	}

	/** An already-rotated refresh token came back: the session was revoked (RFC 9700 §4.14.2). */
	public void reuseDetected(String userId, String familyId) {
		warn(line("refresh_token_reuse_detected", "action", "family_revoked", "user", userId, "family",
				familyId));
	}

	/** A logout that ended a session. */
	public void loggedOut(String userId, String familyId) {
		info(line("logout", "user", userId, "family", familyId));
	}

	private void info(String line) {
		this.writer.execute(() -> logger.info(line));
	}

	private void warn(String line) {
		this.writer.execute(() -> logger.warn(line));
	}

	/** Writes the queued lines, then stops the audit thread. */
	@Override
	public void close() {
		this.writer.shutdown();
		try {
			this.writer.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Thread newThread(Runnable task) {
		Thread thread = new Thread(task, "tollgate-audit");
		thread.setDaemon(true);
		return thread;
	}

	/** {@code event=<event>} followed by {@code key="value"} for each pair. */
	static String line(String event, String... pairs) {
		StringBuilder line = new StringBuilder(64).append("event=").append(event);
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			line.append(' ').append(pairs[i]).append('=');
			quote(line, pairs[i + 1]);
		}
		return line.toString();
	}

	/**
	 * Appends {@code value} in double quotes, with {@code "} and {@code \} escaped by a backslash and every
	 * control character (line breaks included) as {@code \\uXXXX}: one value, one field, one line.
	 */
	static void quote(StringBuilder out, String value) {
		if (value == null) {
			out.append('-');
			return;
		}
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (c < 0x20 || c == 0x7F || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

}
