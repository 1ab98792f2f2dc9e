package dev.tollgate.routes.session;

import java.time.Instant;

/**
 * A live session as its user and operators see it.
 *
 * @param id the session id (the access token's {@code sid})
 * @param createdAt when it started (the login)
 * @param lastRefreshedAt when its refresh token was last rotated; the login time when
 * never
 * @param expiresAt when it ends unless refreshed again: the current refresh token's end
 * (never past the session's absolute end)
 */
public record SessionInfo(String id, Instant createdAt, Instant lastRefreshedAt, Instant expiresAt) {
}
