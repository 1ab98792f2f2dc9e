package dev.tollgate.token.jwt;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.io.DeserializationException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;

/**
 * jjwt's Jackson deserializer (strict: duplicate members are rejected) plus the type
 * checks jjwt leaves out: the document must be a JSON object (jjwt's deserializer returns
 * a list for {@code [...]}), and jjwt coerces {@code "exp": "9999999999"} to a date,
 * where RFC 7519 §2 requires a JSON number.
 */
final class StrictJsonDeserializer implements Deserializer<Map<String, ?>> {

	private static final Set<String> NUMERIC_DATES = Set.of("exp", "nbf", "iat");

	private final Deserializer<Object> delegate = new JacksonDeserializer<>();

	/**
	 * Deprecated with the interface method it implements; jjwt 0.12+ calls
	 * {@link #deserialize(Reader)}.
	 */
	@Deprecated
	@Override
	public Map<String, ?> deserialize(byte[] bytes) throws DeserializationException {
		return deserialize(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
	}

	@Override
	public Map<String, ?> deserialize(Reader reader) throws DeserializationException {
		return check(this.delegate.deserialize(reader));
	}

	private static Map<String, ?> check(Object document) {
		if (!(document instanceof Map<?, ?> members)) {
			throw new MalformedJwtException("not a JSON object");
		}
		for (String name : NUMERIC_DATES) {
			Object value = members.get(name);
			if (value != null && !(value instanceof Number)) {
				throw new MalformedJwtException("claim '" + name + "' is not a NumericDate");
			}
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> object = (Map<String, ?>) members;
		return object;
	}

}
