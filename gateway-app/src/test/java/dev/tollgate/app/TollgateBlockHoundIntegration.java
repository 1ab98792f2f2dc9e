package dev.tollgate.app;

import java.util.ArrayList;
import java.util.List;

import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * BlockHound (installed for every test JVM of this module by
 * {@code blockhound-junit-platform}) reports a blocking call on a Reactor or Netty
 * non-blocking thread: the call is recorded here, with its stack, and
 * {@link NoBlockingCalls} fails the test after it. Nothing is thrown in the thread that
 * blocked: an error thrown from inside Netty or Lettuce (an allocator, a lock) would
 * break the request or the connection it served, and the test would then fail for that
 * second-hand reason (a 500, a lost rotation) instead of naming the blocking call. The
 * calls allowed here are the only exceptions.
 */
public final class TollgateBlockHoundIntegration implements BlockHoundIntegration {

	private static final List<BlockingOperationError> reported = new ArrayList<>();

	private static final String LOCKS = "java.util.concurrent.locks.";

	@Override
	public void applyTo(BlockHound.Builder builder) {
		// SecureRandom (NativePRNG, the default on Linux) refills a small buffer from
		// /dev/urandom, which never blocks
		// once the kernel's pool was initialised at boot: a short read, not a wait
		builder.allowBlockingCallsInside("sun.security.provider.NativePRNG$RandomIO", "readFully");
		// offer never waits for room (it answers false when full); under contention it
		// parks for the few nanoseconds
		// another thread holds the queue's lock to enqueue or dequeue (the audit log
		// hands events to its thread so;
		// Reactor's own integration allows ScheduledThreadPoolExecutor's queue offer for
		// the same reason)
		builder.allowBlockingCallsInside("java.util.concurrent.ArrayBlockingQueue", "offer");
		// Spring Data Redis takes a lock on every reactive command to return its shared
		// connection: the holder object
		// (created under it the first time, no I/O), then the connection in it (a field
		// read once connected; the
		// first command of an instance connects there, which the gateway's start-up
		// does). Concurrent commands
		// contend for them for nanoseconds.
		builder.allowBlockingCallsInside("org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory",
				"getOrCreateSharedReactiveConnection");
		builder.allowBlockingCallsInside(
				"org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory$SharedConnection",
				"getConnection");
		builder.blockingMethodCallback((method) -> {
			BlockingOperationError error = new BlockingOperationError(method);
			if (isLockOfALibrary(error.getStackTrace())) {
				return;
			}
			synchronized (reported) {
				reported.add(error);
			}
		});
	}

	/**
	 * Whether the call parks on a lock ({@code ReentrantLock}, {@code StampedLock}, ...)
	 * that a library takes itself, not Tollgate's code: Lettuce (a connection's writer
	 * count, the Cluster connection cache), Netty (a buffer allocator's magazine) and the
	 * JDK's RSA signer (its blinding parameters) guard short critical sections with locks
	 * another thread holds for a few instructions, never across I/O. One by one they kept
	 * surfacing under load, in code no Tollgate change can touch. A lock Tollgate takes
	 * is reported, and so is waiting for a result wherever it happens: a future's
	 * {@code get}, a latch, a queue's {@code take}, a Lettuce synchronous call park
	 * outside a lock class.
	 */
	static boolean isLockOfALibrary(StackTraceElement[] stack) {
		for (StackTraceElement frame : stack) {
			String type = frame.getClassName();
			if (type.startsWith("reactor.blockhound.") || type.startsWith("jdk.internal.misc.")
					|| type.equals(TollgateBlockHoundIntegration.class.getName())
					|| type.startsWith(LOCKS + "LockSupport")
					|| type.startsWith(LOCKS + "AbstractQueuedSynchronizer")) {
				continue;
			}
			if (!(type.startsWith(LOCKS + "ReentrantLock") || type.startsWith(LOCKS + "ReentrantReadWriteLock")
					|| type.startsWith(LOCKS + "StampedLock"))) {
				return false;
			}
			// the frame that took the lock
			for (StackTraceElement caller : stack) {
				String name = caller.getClassName();
				if (!name.startsWith(LOCKS) && !name.startsWith("jdk.internal.misc.")
						&& !name.startsWith("reactor.blockhound.")
						&& !name.equals(TollgateBlockHoundIntegration.class.getName())) {
					return !name.startsWith("dev.tollgate.");
				}
			}
			return false;
		}
		return false;
	}

	/** The blocking calls reported since the last call, oldest first. */
	static List<BlockingOperationError> drain() {
		synchronized (reported) {
			List<BlockingOperationError> calls = List.copyOf(reported);
			reported.clear();
			return calls;
		}
	}

}
