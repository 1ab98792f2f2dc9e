package dev.tollgate.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** A clock that tests move by hand. Thread-safe. */
public final class MutableClock extends Clock {

	private volatile Instant now;

	private MutableClock(Instant now) {
		this.now = now;
	}

	/**
	 * A clock at the real current time, to the millisecond (Redis keys then expire no
	 * earlier than the clock says).
	 */
	public static MutableClock startingNow() {
		return new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
	}

	/** A clock at {@code now}. */
	public static MutableClock at(Instant now) {
		return new MutableClock(now);
	}

	/** Moves the clock forward by {@code duration}. */
	public void advance(Duration duration) {
		this.now = this.now.plus(duration);
	}

	@Override
	public Instant instant() {
		return this.now;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A MutableClock is always UTC");
	}

}
