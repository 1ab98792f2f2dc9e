package dev.tollgate.token.dpop;

import java.util.List;

import dev.tollgate.token.error.ProofUse;
import dev.tollgate.token.error.TollgateErrors;

import org.springframework.http.HttpHeaders;

/**
 * The one {@code DPoP} header of a request (RFC 9449 §4.1, §4.3 check 1: exactly one).
 */
public final class DpopHeader {

	/** The request header that carries a proof, and the response header of a nonce. */
	public static final String NAME = "DPoP";

	/** The response header that carries a server nonce (RFC 9449 §8.1). */
	public static final String NONCE = "DPoP-Nonce";

	private DpopHeader() {
	}

	/**
	 * The one DPoP header value of {@code headers}; {@code null} when absent.
	 * @throws dev.tollgate.token.error.TollgateErrorException {@code invalid_dpop_proof}
	 * when the header is repeated, or holds a list (a comma never occurs in a JWS)
	 */
	public static String single(HttpHeaders headers, ProofUse use) {
		List<String> values = headers.get(NAME);
		if (values == null || values.isEmpty()) {
			return null;
		}
		if (values.size() > 1 || values.get(0).indexOf(',') >= 0) {
			throw TollgateErrors.invalidDpopProof("more than one DPoP header", use).exception();
		}
		return values.get(0);
	}

}
