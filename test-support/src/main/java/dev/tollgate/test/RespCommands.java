package dev.tollgate.test;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis commands over a plain socket in RESP2, no client library involved: what
 * {@link TestRedis#command} speaks to a test server with, so that a test sees Redis as it
 * is, not as a client shows it. A status, bulk string or integer reply is returned as
 * text, an array as its elements joined by line breaks, a nil as {@code null}; an error
 * reply throws {@link IllegalStateException}.
 */
final class RespCommands {

	private static final Duration IO_TIMEOUT = Duration.ofSeconds(5);

	private RespCommands() {
	}

	/**
	 * Sends {@code commands} one after the other on one connection (as {@code WAIT}
	 * needs) and reads every reply.
	 */
	static List<String> send(int port, List<String[]> commands) {
		String first = commands.get(0)[0];
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), (int) IO_TIMEOUT.toMillis());
			socket.setSoTimeout((int) IO_TIMEOUT.toMillis());
			OutputStream out = socket.getOutputStream();
			StringBuilder request = new StringBuilder();
			for (String[] arguments : commands) {
				request.append('*').append(arguments.length).append("\r\n");
				for (String argument : arguments) {
					byte[] bytes = argument.getBytes(StandardCharsets.UTF_8);
					request.append('$').append(bytes.length).append("\r\n").append(argument).append("\r\n");
				}
			}
			out.write(request.toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			BufferedInputStream in = new BufferedInputStream(socket.getInputStream());
			List<String> replies = new ArrayList<>();
			for (int i = 0; i < commands.size(); i++) {
				replies.add(readReply(in));
			}
			return replies;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Redis on port " + port + " did not answer " + first, ex);
		}
	}

	private static String readReply(InputStream in) throws IOException {
		String line = readLine(in);
		String payload = line.substring(1);
		switch (line.charAt(0)) {
			case '+', ':' -> {
				return payload;
			}
			case '-' -> throw new IllegalStateException("Redis error: " + payload);
			case '$' -> {
				int length = Integer.parseInt(payload);
				if (length < 0) {
					return null;
				}
				byte[] bytes = in.readNBytes(length + 2);
				return new String(bytes, 0, length, StandardCharsets.UTF_8);
			}
			case '*' -> {
				int count = Integer.parseInt(payload);
				List<String> elements = new ArrayList<>();
				for (int i = 0; i < count; i++) {
					elements.add(readReply(in));
				}
				return String.join("\n", elements);
			}
			default -> throw new IOException("Unexpected reply: " + line);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != '\r') {
			if (c < 0) {
				throw new IOException("Connection closed");
			}
			line.append((char) c);
		}
		in.read();
		return line.toString();
	}

}
