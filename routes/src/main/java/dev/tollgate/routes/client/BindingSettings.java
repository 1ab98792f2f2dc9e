package dev.tollgate.routes.client;

import java.util.List;

/**
 * What the refresh binding compares, and what a mismatch does
 * ({@code tollgate.refresh-token.binding.*}).
 *
 * @param checks the checks compared at each refresh, in order ({@code user-agent},
 * {@code address-prefix}, {@code device-header}); empty when nothing is compared (policy
 * {@code off})
 * @param deviceHeader the request header the {@code device-header} check reads
 * @param enforced whether a mismatch ends the session (policy {@code enforce}) rather
 * than being audited only
 */
public record BindingSettings(List<String> checks, String deviceHeader, boolean enforced) {

	/** Nothing recorded, nothing compared. */
	public static final BindingSettings OFF = new BindingSettings(List.of(), "X-Device-Id", false);

	public BindingSettings {
		checks = List.copyOf(checks);
	}

}
