package dev.tollgate.backend.assertion;

import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.jsonwebtoken.MalformedJwtException;
import io.jsonwebtoken.io.DeserializationException;
import io.jsonwebtoken.io.Deserializer;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;

/**
 * jjwt's Jackson deserializer, which rejects duplicate members, plus the type checks jjwt
 * leaves out, for the header and the claims alike: the document must be a JSON object;
 * {@code exp}, {@code nbf} and {@code iat} must be JSON numbers (RFC 7519 §2; jjwt would
 * coerce {@code "9999999999"} to a date); {@code aud} must name one audience, as a string
 * or an array of one string (RFC 7519 §4.1.3 allows both), since an assertion is for
 * exactly one service (jjwt would accept an array that merely contains it).
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
		Object document = this.delegate.deserialize(reader);
		if (!(document instanceof Map<?, ?> members)) {
			throw new MalformedJwtException("not a JSON object");
		}
		for (String name : NUMERIC_DATES) {
			Object value = members.get(name);
			if (value != null && !(value instanceof Number)) {
				throw new MalformedJwtException("claim '" + name + "' is not a NumericDate");
			}
		}
		Object audience = members.get("aud");
		if (audience != null && !(audience instanceof String)
				&& !(audience instanceof List<?> list && list.size() == 1 && list.get(0) instanceof String)) {
			throw new MalformedJwtException("claim 'aud' is not one audience");
		}
		@SuppressWarnings("unchecked")
		Map<String, ?> object = (Map<String, ?>) members;
		return object;
	}

}
