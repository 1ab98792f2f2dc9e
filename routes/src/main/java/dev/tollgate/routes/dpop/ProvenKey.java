package dev.tollgate.routes.dpop;

/**
 * The key a request to the token endpoint proved possession of with a valid, fresh DPoP
 * proof (RFC 9449 §4.3, §5), or {@link #NONE}.
 *
 * @param thumbprint the key's RFC 7638 thumbprint ({@code jkt}); {@code null} when the
 * request carried no proof (or DPoP is off)
 */
public record ProvenKey(String thumbprint) {

	/** No proof: a bearer login, or a refresh without a proof. */
	public static final ProvenKey NONE = new ProvenKey(null);

	/** Whether a key was proved. */
	public boolean proved() {
		return this.thumbprint != null;
	}

}
