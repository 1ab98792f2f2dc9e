package dev.tollgate.routes.session;

import java.time.Duration;

import dev.tollgate.routes.client.BindingSettings;

/**
 * How long sessions and their refresh tokens live, and what both stores enforce at a
 * rotation ({@code tollgate.refresh-token.*}, without the cookie, which is the endpoints'
 * business).
 *
 * @param ttl sliding lifetime of each refresh token, renewed at every rotation
 * @param maxLifetime absolute lifetime of a session, counted from login
 * @param reuseGrace window after a rotation in which the rotated token may be retried and
 * gets the same successor again; zero disables it
 * @param maxSessionsPerUser most live sessions of one user; a login past it ends the
 * user's oldest session
 * @param binding what of the client that logged in a refresh must match
 */
public record SessionSettings(Duration ttl, Duration maxLifetime, Duration reuseGrace, int maxSessionsPerUser,
		BindingSettings binding) {
}
