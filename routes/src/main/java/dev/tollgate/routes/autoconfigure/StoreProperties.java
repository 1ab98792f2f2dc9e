package dev.tollgate.routes.autoconfigure;

import java.util.Locale;

import dev.tollgate.token.autoconfigure.TollgateConfigurationException;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where sessions live: {@code tollgate.store}. Validated when bound.
 * <p>
 * The one key of the routes module directly under {@code tollgate}, so it needs a binding
 * at that prefix, which {@code token-filter}'s {@code TokenProperties} binds too. It
 * stays a record of its own, one field, rather than a field of those properties:
 * {@code token-filter} knows nothing of stores, and each module's properties describe
 * only its own keys.
 *
 * @param store Where refresh-token families live: redis (shared by every instance) or
 * memory (one instance only)
 */
@ConfigurationProperties("tollgate")
public record StoreProperties(@DefaultValue("redis") String store) {

	public StoreProperties {
		store = store.toLowerCase(Locale.ROOT);
		if (!store.equals("redis") && !store.equals("memory")) {
			throw new TollgateConfigurationException("tollgate.store", "is '" + store + "'",
					"use 'redis' (default; shared by every instance) or 'memory' (a single instance only)");
		}
	}

	/** Whether sessions live in the process (demo, tests) rather than Redis. */
	public boolean inMemory() {
		return this.store.equals("memory");
	}

}
