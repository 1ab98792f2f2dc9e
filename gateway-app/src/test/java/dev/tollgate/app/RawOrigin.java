package dev.tollgate.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/1.1 origin on a raw socket that records each request exactly as it arrived, and
 * whether it arrived complete (its whole body by {@code Content-Length} or up to the last
 * chunk) or was cut off. WireMock would normalise what it records; this does not. Answers
 * {@code 200 ok} to every complete request (256 KB to {@code GET /public/big}).
 */
final class RawOrigin implements AutoCloseable {

	/**
	 * One request as received: its head (request line and headers) and whether its body
	 * ended properly.
	 */
	record Received(String head, String body, boolean complete) {

		String requestLine() {
			return this.head.substring(0, this.head.indexOf("\r\n"));
		}

		/**
		 * The value of the first header named {@code name} (any case), or {@code null}.
		 */
		String header(String name) {
			for (String line : this.head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
					return line.substring(colon + 1).trim();
				}
			}
			return null;
		}

	}

	private static final byte[] OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
		.getBytes(StandardCharsets.US_ASCII);

	/** The answer to {@code GET /public/big}: 256 KB, more than one write. */
	private static final byte[] BIG = ("HTTP/1.1 200 OK\r\nContent-Length: 262144\r\n\r\n" + "x".repeat(262144))
		.getBytes(StandardCharsets.US_ASCII);

	private final ServerSocket server;

	private final List<Received> received = new CopyOnWriteArrayList<>();

	private final AtomicInteger started = new AtomicInteger();

	RawOrigin() {
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		Thread acceptor = new Thread(this::accept, "raw-origin");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	List<Received> received() {
		return List.copyOf(this.received);
	}

	/**
	 * Requests whose head arrived, complete or not: the gateway is forwarding one once
	 * this grows.
	 */
	int started() {
		return this.started.get();
	}

	void reset() {
		this.received.clear();
		this.started.set(0);
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket socket = this.server.accept();
				Thread connection = new Thread(() -> serve(socket), "raw-origin-connection");
				connection.setDaemon(true);
				connection.start();
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket) {
			socket.setSoTimeout(10_000);
			InputStream in = socket.getInputStream();
			OutputStream out = socket.getOutputStream();
			while (true) {
				String head = readHead(in);
				if (head == null) {
					return;
				}
				this.started.incrementAndGet();
				ByteArrayOutputStream body = new ByteArrayOutputStream();
				boolean complete = readBody(in, head, body);
				this.received.add(new Received(head, body.toString(StandardCharsets.ISO_8859_1), complete));
				if (!complete) {
					return;
				}
				byte[] answer = head.startsWith("GET /public/big ") ? BIG : OK;
				out.write(answer);
				out.flush();
			}
		}
		catch (IOException ex) {
			// the gateway reset the connection: whatever was received is recorded
		}
	}

	/**
	 * The request head up to and including the blank line, or {@code null} at end of
	 * stream.
	 */
	private static String readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		int b;
		while ((b = in.read()) >= 0) {
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				return head.toString(StandardCharsets.ISO_8859_1);
			}
		}
		return null;
	}

	private static boolean readBody(InputStream in, String head, ByteArrayOutputStream body) throws IOException {
		Received parsed = new Received(head, "", false);
		String encoding = parsed.header("Transfer-Encoding");
		if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
			while (true) {
				String sizeLine = readLine(in);
				if (sizeLine == null) {
					return false;
				}
				int size = Integer.parseInt(sizeLine.trim(), 16);
				if (size == 0) {
					return readLine(in) != null;
				}
				if (!copy(in, body, size) || readLine(in) == null) {
					return false;
				}
			}
		}
		String length = parsed.header("Content-Length");
		return length == null || copy(in, body, Integer.parseInt(length));
	}

	private static boolean copy(InputStream in, ByteArrayOutputStream body, int count) throws IOException {
		for (int i = 0; i < count; i++) {
			int b = in.read();
			if (b < 0) {
				return false;
			}
			body.write(b);
		}
		return true;
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) >= 0) {
			if (b == '\n') {
				return line.toString();
			}
			if (b != '\r') {
				line.append((char) b);
			}
		}
		return null;
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
