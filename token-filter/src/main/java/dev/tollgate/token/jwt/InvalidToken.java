package dev.tollgate.token.jwt;

import dev.tollgate.token.error.TollgateErrorException;
import dev.tollgate.token.error.TollgateErrors;
import dev.tollgate.token.observe.TokenRejection;

/**
 * The one way the verifier's parts refuse a token: 401 {@code invalid_token} with a fixed
 * description.
 */
final class InvalidToken {

	private InvalidToken() {
	}

	static TollgateErrorException of(TokenRejection rejection, String description) {
		return TollgateErrors.invalidToken(rejection, description).exception();
	}

}
