package dev.tollgate.routes.observe;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Records each {@link TollgateAuditEvent}: publishes it to the application's listeners
 * and logs one line on the logger {@code tollgate.audit}. The line is {@code key=value}
 * pairs, every value {@link #quote quoted} so that no value (a user id is whatever the
 * user service said, a username whatever a client sent) can end the line or forge a
 * field; the same values go out as SLF4J key-value pairs ({@code event.action},
 * {@code user.id}, {@code tollgate.session_id}, {@code user.name}, {@code client.ip},
 * {@code event.reason}, and for an operator's action {@code tollgate.actor_id}), so that
 * Spring Boot's structured logging ({@code logging.structured.format.console=ecs} or
 * {@code logstash}) emits them as fields.
 * <p>
 * Both happen on one thread of their own, off the request threads (a listener or an
 * appender may block); when its queue of {@value #QUEUE_CAPACITY} events is full, the
 * request thread records the event itself rather than lose it. {@link #close()} records
 * what is queued.
 */
public final class AuditLog implements AutoCloseable {

	/** Events waiting for the audit thread before request threads record their own. */
	static final int QUEUE_CAPACITY = 10_000;

	private static final Logger logger = LoggerFactory.getLogger("tollgate.audit");

	private final ApplicationEventPublisher publisher;

	private final ThreadPoolExecutor writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new ArrayBlockingQueue<>(QUEUE_CAPACITY), AuditLog::newThread, new ThreadPoolExecutor.CallerRunsPolicy());

	public AuditLog(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	/** Publishes and logs {@code event}, off the caller's thread. */
	public void record(TollgateAuditEvent event) {
		this.writer.execute(() -> {
			this.publisher.publishEvent(event);
			log(event);
		});
	}

	private static void log(TollgateAuditEvent event) {
		LoggingEventBuilder line = isWarning(event) ? logger.atWarn() : logger.atInfo();
		line.addKeyValue("event.action", event.action());
		addIfPresent(line, "user.id", event.userId());
		addIfPresent(line, "tollgate.session_id", event.sessionId());
		addIfPresent(line, "user.name", event.username());
		addIfPresent(line, "client.ip", event.clientIp());
		addIfPresent(line, "event.reason", event.reason());
		addIfPresent(line, "tollgate.actor_id", event.actor());
		line.log(line(event.action(), "user", event.userId(), "session", event.sessionId(), "username",
				event.username(), "client", event.clientIp(), "reason", event.reason(), "actor", event.actor()));
	}

	private static boolean isWarning(TollgateAuditEvent event) {
		return event instanceof TollgateAuditEvent.RefreshTokenReuseDetected
				|| event instanceof TollgateAuditEvent.RefreshBindingMismatch
				|| event instanceof TollgateAuditEvent.RefreshDpopKeyMismatch
				|| event instanceof TollgateAuditEvent.DpopProofReplayed
				|| event instanceof TollgateAuditEvent.LoginLocked;
	}

	private static void addIfPresent(LoggingEventBuilder line, String key, String value) {
		if (value != null) {
			line.addKeyValue(key, value);
		}
	}

	/** Records what is queued, then stops the audit thread. */
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

	/**
	 * {@code event=<event>} followed by {@code key="value"} for each pair whose value is
	 * not {@code null}.
	 */
	static String line(String event, String... pairs) {
		StringBuilder line = new StringBuilder(96).append("event=").append(event);
		for (int i = 0; i + 1 < pairs.length; i += 2) {
			if (pairs[i + 1] != null) {
				line.append(' ').append(pairs[i]).append('=');
				quote(line, pairs[i + 1]);
			}
		}
		return line.toString();
	}

	/**
	 * Appends {@code value} in double quotes, with {@code "} and {@code \} escaped by a
	 * backslash and every control character (line breaks included) as {@code \\uXXXX}:
	 * one value, one field, one line.
	 */
	static void quote(StringBuilder out, String value) {
		out.append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
				out.append(String.format("\\u%04x", (int) c));
			}
			else {
				out.append(c);
			}
		}
		out.append('"');
	}

}
