package dev.tollgate.routes.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * The {@link ClientBinding} of a request, for the configured refresh-binding checks:
 * {@code user-agent} (the {@code User-Agent} header), {@code address-prefix} (the client
 * address's /24 for IPv4, /48 for IPv6, the address found as
 * {@link ClientAddressResolver} finds it) and {@code device-header} (the header named by
 * {@code binding.device-header}). Values are cut at {@value #MAX_VALUE_LENGTH}
 * characters.
 */
public final class ClientBindingResolver {

	/** The checks there are. */
	public static final List<String> CHECKS = List.of("user-agent", "address-prefix", "device-header");

	static final int MAX_VALUE_LENGTH = 512;

	private final List<String> checks;

	private final String deviceHeader;

	private final ClientAddressResolver addresses;

	public ClientBindingResolver(BindingSettings settings, ClientAddressResolver addresses) {
		this.checks = settings.checks();
		this.deviceHeader = settings.deviceHeader();
		this.addresses = addresses;
	}

	/**
	 * The values of {@code request} for every configured check;
	 * {@link ClientBinding#NONE} when nothing is checked.
	 */
	public ClientBinding resolve(ServerHttpRequest request) {
		if (this.checks.isEmpty()) {
			return ClientBinding.NONE;
		}
		Map<String, String> values = new LinkedHashMap<>();
		for (String check : this.checks) {
			values.put(check, cut(switch (check) {
				case "user-agent" -> header(request.getHeaders(), HttpHeaders.USER_AGENT);
				case "address-prefix" -> prefix(this.addresses.resolve(request));
				default -> header(request.getHeaders(), this.deviceHeader);
			}));
		}
		return new ClientBinding(values);
	}

	private static String header(HttpHeaders headers, String name) {
		String value = headers.getFirst(name);
		return (value != null) ? value.trim() : "";
	}

	/**
	 * The /24 of an IPv4 address or the /48 of an IPv6 one, as text; empty when unknown.
	 */
	static String prefix(String address) {
		String network = IpAddresses.network(address, 24, 48);
		return (network != null) ? network : "";
	}

	private static String cut(String value) {
		return (value.length() > MAX_VALUE_LENGTH) ? value.substring(0, MAX_VALUE_LENGTH) : value;
	}

}
