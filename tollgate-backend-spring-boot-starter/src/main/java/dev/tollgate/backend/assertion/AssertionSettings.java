package dev.tollgate.backend.assertion;

import java.time.Duration;

/**
 * What an assertion must say to be accepted here.
 *
 * @param issuer the {@code iss} required, the gateway's {@code tollgate.issuer}
 * @param audience the {@code aud} required: this service's audience, the route metadata
 * {@code audience} of its gateway routes
 * @param clockSkew leeway on {@code exp}, {@code nbf} and {@code iat} for clocks that
 * differ
 */
public record AssertionSettings(String issuer, String audience, Duration clockSkew) {
}
