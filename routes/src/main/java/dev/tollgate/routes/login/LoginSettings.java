package dev.tollgate.routes.login;

import java.time.Duration;

/**
 * Limits on the routes carrying {@code IssueTokens} ({@code tollgate.login.timeout},
 * {@code .max-body-size}).
 *
 * @param timeout time the user service has to answer a login completely
 * @param maxBodyBytes largest login request body, in bytes
 */
public record LoginSettings(Duration timeout, int maxBodyBytes) {
}
