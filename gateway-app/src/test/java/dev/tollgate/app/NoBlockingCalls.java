package dev.tollgate.app;

import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockingOperationError;

/**
 * Fails a test (or its class's {@code @AfterAll}) when BlockHound reported a blocking
 * call on a non-blocking thread since the previous check, wherever it happened: in the
 * test, in a gateway instance it started, or while a context started. Registered for
 * every test by extension auto-detection ({@code junit-platform.properties}).
 */
public final class NoBlockingCalls implements AfterEachCallback, AfterAllCallback {

	@Override
	public void afterEach(ExtensionContext context) {
		check();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		check();
	}

	private static void check() {
		List<BlockingOperationError> calls = TollgateBlockHoundIntegration.drain();
		if (!calls.isEmpty()) {
			AssertionError failure = new AssertionError(calls.size() + " blocking call(s) on non-blocking threads, the "
					+ "first: " + calls.get(0).getMessage(), calls.get(0));
			calls.stream().skip(1).forEach(failure::addSuppressed);
			throw failure;
		}
	}

}
