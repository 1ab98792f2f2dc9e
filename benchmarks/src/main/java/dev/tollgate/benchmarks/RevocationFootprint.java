package dev.tollgate.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;

import dev.tollgate.routes.session.EndedSessions;

/**
 * The heap that each instance's set of ended sessions holds per revocation. Records
 * {@code N} revocations (default 1,000,000) of session ids shaped like the gateway's (22
 * base64url characters of random bits), all within one access-token lifetime, as a flood
 * of logins past {@code max-sessions-per-user} would, and prints the live heap after a
 * full GC before and after, divided by the revocations held, and the table's slots.
 *
 * <pre>
 * java -XX:+UseSerialGC -Xmx1g -cp benchmarks/target/benchmarks.jar dev.tollgate.benchmarks.RevocationFootprint [N]
 * </pre>
 *
 * Serial GC makes {@link System#gc()} a full, compacting collection, so "live heap" is
 * what is reachable.
 */
public final class RevocationFootprint {

	private RevocationFootprint() {
	}

	public static void main(String[] args) {
		int count = (args.length > 0) ? Integer.parseInt(args[0]) : 1_000_000;
		EndedSessions revoked = new EndedSessions(Clock.systemUTC(), Duration.ofMinutes(15).plusSeconds(30));
		long until = System.currentTimeMillis() + Duration.ofMinutes(15).toMillis();
		long before = liveHeap();
		for (int i = 0; i < count; i++) {
			revoked.add(sessionId(), until);
		}
		long after = liveHeap();
		System.out.printf("revocations held: %,d in a table of %,d slots%n", revoked.size(), revoked.capacity());
		System.out.printf("live heap: %,d bytes before, %,d bytes after: %,d bytes per revocation%n", before, after,
				(after - before) / revoked.size());
	}

	private static String sessionId() {
		UUID uuid = UUID.randomUUID();
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(ByteBuffer.allocate(16)
				.putLong(uuid.getMostSignificantBits())
				.putLong(uuid.getLeastSignificantBits())
				.array());
	}

	/**
	 * Used heap after full collections (synchronous under Serial GC), once it stops
	 * shrinking.
	 */
	private static long liveHeap() {
		long used = Long.MAX_VALUE;
		for (int i = 0; i < 10; i++) {
			System.gc();
			long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
			if (now >= used) {
				return now;
			}
			used = now;
		}
		return used;
	}

}
