package dev.tollgate.backend.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A JWK Set endpoint on a free loopback port whose answer a unit test changes, and that
 * counts the requests it got. It can hold its answers until the test releases them, to
 * see concurrent lookups share one fetch.
 */
public final class JwkSetServer implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final AtomicInteger requests = new AtomicInteger();

	private volatile int status = 200;

	private volatile String body = "{\"keys\":[]}";

	private volatile CountDownLatch gate = new CountDownLatch(0);

	public JwkSetServer() {
		try {
			this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/jwks", this::answer);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public URI uri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/jwks");
	}

	/** Answers 200 with {@code json} from now on. */
	public void serve(String json) {
		this.body = json;
		this.status = 200;
	}

	/** Answers {@code status} with a small text body from now on. */
	public void fail(int status) {
		this.status = status;
	}

	/** Holds every answer until {@link #release()}. */
	public void hold() {
		this.gate = new CountDownLatch(1);
	}

	public void release() {
		this.gate.countDown();
	}

	/** Requests received so far. */
	public int requests() {
		return this.requests.get();
	}

	private void answer(HttpExchange exchange) throws IOException {
		this.requests.incrementAndGet();
		try {
			this.gate.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		byte[] bytes = ((this.status == 200) ? this.body : "unavailable").getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().set("Content-Type", (this.status == 200) ? "application/json" : "text/plain");
		exchange.sendResponseHeaders(this.status, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@Override
	public void close() {
		this.gate.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
