package dev.tollgate.token.jwt;

import java.io.Reader;
import java.util.Map;
import java.util.Set;

import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.io.DeserializationException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;

/**
 * jjwt's Jackson deserializer (strict: duplicate members are rejected) plus the type checks jjwt leaves out:
 * it coerces {@code "exp": "9999999999"} to a date, where RFC 7519 §2 requires a JSON number.
 */
final class StrictJsonDeserializer implements Deserializer<Map<String, ?>> {

	private static final Set<String> NUMERIC_DATES = Set.of("exp", "nbf", "iat");

	private final Deserializer<Map<String, ?>> delegate = new JacksonDeserializer<>();

	@Override
	public Map<String, ?> deserialize(byte[] bytes) throws DeserializationException {
		return check(this.delegate.deserialize(bytes));
	}

	@Override
	public Map<String, ?> deserialize(Reader reader) throws DeserializationException {
		return check(this.delegate.deserialize(reader));
	}

	private static Map<String, ?> check(Map<String, ?> members) {
		for (String name : NUMERIC_DATES) {
			Object value = members.get(name);
			if (value != null && !(value instanceof Number)) {
				throw new MalformedJwtException("claim '" + name + "' is not a NumericDate");
			}
		}
		return members;
	}

}
