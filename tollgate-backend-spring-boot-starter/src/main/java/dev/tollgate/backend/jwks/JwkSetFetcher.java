package dev.tollgate.backend.jwks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches the gateway's JWK Set over HTTP with the JDK's {@link HttpClient},
 * asynchronously: the answer completes on the client's own threads, so a WebFlux service
 * never waits for it on an event loop. Connect and request deadlines are a few seconds,
 * redirects are not followed, and an answer other than 200 or larger than
 * {@link #MAX_BYTES} fails the fetch.
 */
public final class JwkSetFetcher {

	/**
	 * Largest JWK Set document read; a gateway's holds a handful of keys in a few
	 * kilobytes.
	 */
	static final int MAX_BYTES = 256 * 1024;

	private final HttpClient client;

	private final HttpRequest request;

	private final JwkSetReader reader = new JwkSetReader();

	public JwkSetFetcher(URI uri, Duration connectTimeout, Duration requestTimeout) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.request = HttpRequest.newBuilder(uri)
			.timeout(requestTimeout)
			.header("Accept", "application/jwk-set+json, application/json")
			.GET()
			.build();
	}

	/** Where the keys come from, for log lines. */
	public URI uri() {
		return this.request.uri();
	}

	/**
	 * Starts a fetch.
	 * @return the usable keys by {@code kid}; fails with {@link JwkSetFetchException} (or
	 * the I/O error) when the set could not be had
	 */
	public CompletableFuture<Map<String, VerificationKey>> fetch() {
		return this.client.sendAsync(this.request, this::bounded).thenApply(this::read);
	}

	private HttpResponse.BodySubscriber<byte[]> bounded(HttpResponse.ResponseInfo info) {
		long declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
		if (info.statusCode() != 200 || declared > MAX_BYTES) {
			return BodySubscribers.replacing(null);
		}
		return BodySubscribers.ofByteArray();
	}

	private Map<String, VerificationKey> read(HttpResponse<byte[]> response) {
		if (response.statusCode() != 200) {
			throw new JwkSetFetchException("answered " + response.statusCode());
		}
		byte[] body = response.body();
		if (body == null || body.length > MAX_BYTES) {
			throw new JwkSetFetchException("answered more than " + MAX_BYTES + " bytes");
		}
		try {
			return this.reader.read(new String(body, StandardCharsets.UTF_8));
		}
		catch (RuntimeException ex) {
			// jjwt's and Jackson's exceptions all mean the same here: kept as the cause,
			// for a debug log
			throw new JwkSetFetchException("answered a document that is not a JWK Set", ex);
		}
	}

	/**
	 * A fetch that got an answer, but not a JWK Set. The message says why, never what the
	 * document held.
	 */
	public static final class JwkSetFetchException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		JwkSetFetchException(String message) {
			this(message, null);
		}

		JwkSetFetchException(String message, Throwable cause) {
			super(message, cause, false, false);
		}

	}

}
