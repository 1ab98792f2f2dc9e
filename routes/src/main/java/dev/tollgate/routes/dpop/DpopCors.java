package dev.tollgate.routes.dpop;

import java.util.ArrayList;
import java.util.List;

import dev.tollgate.token.dpop.DpopHeader;

import org.springframework.http.HttpHeaders;
import org.springframework.web.cors.CorsConfiguration;

/**
 * What a browser app needs of CORS for DPoP at Tollgate's endpoints and login routes: to
 * send the {@code DPoP} request header (a pre-flight asks for it) and to read the
 * {@code DPoP-Nonce} response header (RFC 9449 §8), whatever the gateway's own CORS
 * settings ({@code spring.cloud.gateway.server.webflux.globalcors}) list. Everything else
 * stays as those settings say: an origin they do not allow gets nothing more.
 */
public final class DpopCors {

	private DpopCors() {
	}

	/**
	 * {@code config} with {@code DPoP} among the allowed request headers and
	 * {@code DPoP-Nonce} among the exposed response headers; {@code null} for
	 * {@code null} (no CORS for that path). {@code config} itself is not changed.
	 */
	public static CorsConfiguration withDpop(CorsConfiguration config) {
		if (config == null) {
			return null;
		}
		boolean allowed = contains(config.getAllowedHeaders(), DpopHeader.NAME);
		boolean exposed = contains(config.getExposedHeaders(), DpopHeader.NONCE);
		if (allowed && exposed) {
			return config;
		}
		// the copy shares the lists of config: new lists, or the gateway's settings
		// change
		CorsConfiguration withDpop = new CorsConfiguration(config);
		if (!allowed) {
			withDpop.setAllowedHeaders(plus(config.getAllowedHeaders(), DpopHeader.NAME));
		}
		if (!exposed) {
			withDpop.setExposedHeaders(plus(config.getExposedHeaders(), DpopHeader.NONCE));
		}
		return withDpop;
	}

	private static List<String> plus(List<String> headers, String header) {
		List<String> more = (headers != null) ? new ArrayList<>(headers) : new ArrayList<>();
		more.add(header);
		return more;
	}

	/**
	 * Adds {@code DPoP-Nonce} to the {@code Access-Control-Expose-Headers} of an answer
	 * that the gateway's CORS settings let a browser read (it has an
	 * {@code Access-Control-Allow-Origin}); any other answer is left alone.
	 */
	public static void exposeNonce(HttpHeaders headers) {
		if (headers.getAccessControlAllowOrigin() == null) {
			return;
		}
		List<String> exposed = headers.getAccessControlExposeHeaders();
		if (!contains(exposed, DpopHeader.NONCE)) {
			headers.add(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, DpopHeader.NONCE);
		}
	}

	private static boolean contains(List<String> headers, String name) {
		return headers != null && headers.stream()
			.anyMatch((header) -> header.equals(CorsConfiguration.ALL) || header.equalsIgnoreCase(name));
	}

}
