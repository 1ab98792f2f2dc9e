package dev.tollgate.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends bytes to the gateway exactly as given (no client library normalises the path or
 * the framing) and reads what comes back until the gateway closes the connection or a
 * quiet period passes.
 */
final class RawClient implements AutoCloseable {

	/** What came back: the bytes, and whether the gateway closed the connection. */
	record Answer(String text, boolean closed) {

		int status() {
			return Integer.parseInt(this.text.substring(9, 12));
		}

		String body() {
			int start = this.text.indexOf("\r\n\r\n");
			return (start < 0) ? "" : this.text.substring(start + 4);
		}

	}

	private final Socket socket;

	RawClient(int port) {
		try {
			this.socket = new Socket(InetAddress.getLoopbackAddress(), port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * One request on a fresh connection; waits up to {@code quiet} for more after the
	 * last byte read.
	 */
	static Answer exchange(int port, String request, Duration quiet) {
		try (RawClient client = new RawClient(port)) {
			client.send(request);
			return client.read(quiet);
		}
	}

	void send(String text) {
		try {
			this.socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
			this.socket.getOutputStream().flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Sends, reporting whether the connection still took the bytes (false once the
	 * gateway reset it).
	 */
	boolean trySend(String text) {
		try {
			send(text);
			return true;
		}
		catch (UncheckedIOException ex) {
			return false;
		}
	}

	Answer read(Duration quiet) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			this.socket.setSoTimeout((int) quiet.toMillis());
			InputStream in = this.socket.getInputStream();
			byte[] buffer = new byte[8192];
			while (true) {
				int n = in.read(buffer);
				if (n < 0) {
					return new Answer(out.toString(StandardCharsets.ISO_8859_1), true);
				}
				out.write(buffer, 0, n);
				if (isCompleteResponse(out.toString(StandardCharsets.ISO_8859_1))) {
					// a whole response: give the gateway a moment to close the connection
					// if it means to
					this.socket.setSoTimeout(200);
				}
			}
		}
		catch (SocketTimeoutException ex) {
			return new Answer(out.toString(StandardCharsets.ISO_8859_1), false);
		}
		catch (SocketException ex) {
			// reset by the gateway
			return new Answer(out.toString(StandardCharsets.ISO_8859_1), true);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Whether {@code text} holds a response head and as many body bytes as its
	 * {@code Content-Length} says.
	 */
	private static boolean isCompleteResponse(String text) {
		int end = text.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		for (String line : text.substring(0, end).split("\r\n")) {
			if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
				return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
			}
		}
		return false;
	}

	@Override
	public void close() {
		try {
			this.socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
