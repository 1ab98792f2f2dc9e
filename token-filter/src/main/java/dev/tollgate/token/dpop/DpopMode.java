package dev.tollgate.token.dpop;

/**
 * How the gateway treats DPoP (RFC 9449): {@code tollgate.dpop.mode}.
 */
public enum DpopMode {

	/** A {@code DPoP} header is ignored; every token is a bearer token. */
	OFF,

	/**
	 * A client that sends a proof at login gets bound tokens (RFC 9449 §5); others keep
	 * bearer tokens.
	 */
	OPTIONAL,

	/** Login without a proof is refused: every token is bound. */
	REQUIRED

}
