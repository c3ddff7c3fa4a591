package dev.runrelay.domain.error;

/**
 * The stable, machine-readable codes every failure is reported with, whichever provider caused it.
 * The wire value ({@link #code()}) is part of the public protocol: never rename one.
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", false),
    NOT_FOUND("not_found", false),
    UNAUTHORIZED("unauthorized", false),
    PERMISSION_DENIED("permission_denied", false),
    /** The provider refuses because of the resource's state, e.g. the thread already has an active run. */
    CONFLICT("conflict", false),
    RATE_LIMITED("rate_limited", true),
    /** The account is out of credit: waiting does not help, unlike {@link #RATE_LIMITED}. */
    QUOTA_EXCEEDED("quota_exceeded", false),
    PROVIDER_UNAVAILABLE("provider_unavailable", true),
    TIMEOUT("timeout", true),
    /** A stream ended before the provider said it was done. Retrying means starting a new run. */
    STREAM_INTERRUPTED("stream_interrupted", true),
    /** This instance refuses more concurrent work (bulkhead full); try again shortly. */
    OVERLOADED("overloaded", true),
    /** The chosen provider cannot do this operation at all. */
    UNSUPPORTED_OPERATION("unsupported_operation", false),
    INTERNAL("internal", false);

    private final String code;
    private final boolean retryable;

    ErrorCode(String code, boolean retryable) {
        this.code = code;
        this.retryable = retryable;
    }

    /** The wire value, e.g. {@code rate_limited}. */
    public String code() {
        return code;
    }

    /** Whether the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }
}
