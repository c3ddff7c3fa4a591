package dev.runrelay.domain.error;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one exception type the domain speaks: every failure, whatever its origin, is translated into
 * this (or its subclass {@link InvalidRequestException}) before it leaves the error-handling aspect.
 *
 * <p>The message is a human sentence safe to show a client: translators never put secrets or
 * message contents in it.
 */
public class RunRelayException extends RuntimeException {

    private final ErrorCode code;
    private final Duration retryAfter;
    private final String providerRequestId;
    private final boolean unprocessed;

    public RunRelayException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    public RunRelayException(ErrorCode code, String message, Throwable cause) {
        this(code, message, null, null, cause);
    }

    public RunRelayException(
            ErrorCode code, String message, Duration retryAfter, String providerRequestId, Throwable cause) {
        this(code, message, retryAfter, providerRequestId, false, cause);
    }

    /**
     * @param unprocessed true only when the provider provably did not act on the request (connection
     *     refused, 429, 503), so that even a create may be sent again without running twice
     */
    public RunRelayException(
            ErrorCode code,
            String message,
            Duration retryAfter,
            String providerRequestId,
            boolean unprocessed,
            Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.retryAfter = retryAfter;
        this.providerRequestId = providerRequestId;
        this.unprocessed = unprocessed;
    }

    public ErrorCode code() {
        return code;
    }

    public boolean retryable() {
        return code.retryable();
    }

    /** How long the provider asked us to wait before trying again, when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    /** Whether the provider provably did not act on the request, so a non-idempotent call may be retried. */
    public boolean unprocessed() {
        return unprocessed;
    }

    /** The provider's id for the failed request (e.g. {@code x-request-id}), for support tickets. */
    public Optional<String> providerRequestId() {
        return Optional.ofNullable(providerRequestId);
    }
}
