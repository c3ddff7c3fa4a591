package dev.runrelay.domain.error;

/**
 * The stable, machine-readable codes every failure is reported with, whichever provider caused it.
 * The wire value ({@link #code()}) is part of the public protocol: never rename one.
 */
public enum ErrorCode {
    INVALID_REQUEST("invalid_request", false, "The request is not valid."),
    NOT_FOUND("not_found", false, "The thread, run or step does not exist."),
    UNAUTHORIZED("unauthorized", false, "The provider refused the gateway's credentials."),
    PERMISSION_DENIED("permission_denied", false, "The provider does not allow this operation."),
    /** The provider refuses because of the resource's state, e.g. the thread already has an active run. */
    CONFLICT("conflict", false, "The run or thread is not in a state that allows this request."),
    RATE_LIMITED("rate_limited", true, "The provider is rate limiting requests; try again shortly."),
    /** The account is out of credit: waiting does not help, unlike {@link #RATE_LIMITED}. */
    QUOTA_EXCEEDED("quota_exceeded", false, "The provider account has no quota left."),
    PROVIDER_UNAVAILABLE("provider_unavailable", true, "The provider is unavailable or reported an error."),
    TIMEOUT("timeout", true, "The provider did not answer in time."),
    /** A stream ended before the provider said it was done. Retrying means starting a new run. */
    STREAM_INTERRUPTED("stream_interrupted", true, "The run's stream broke off before the provider said it was done."),
    /** This instance refuses more concurrent work (bulkhead full); try again shortly. */
    OVERLOADED("overloaded", true, "Too many runs are streaming on this server right now; try again shortly."),
    /** The chosen provider cannot do this operation at all. */
    UNSUPPORTED_OPERATION("unsupported_operation", false, "The selected provider does not support this operation."),
    INTERNAL("internal", false, "Something went wrong on the server.");

    private final String code;
    private final boolean retryable;
    private final String clientMessage;

    ErrorCode(String code, boolean retryable, String clientMessage) {
        this.code = code;
        this.retryable = retryable;
        this.clientMessage = clientMessage;
    }

    /** The wire value, e.g. {@code rate_limited}. */
    public String code() {
        return code;
    }

    /**
     * The one sentence a client reads for this code. Fixed on purpose: a provider's own text (which may
     * name a class, a host, an address, an organisation or a key) goes to the logs, never to a client.
     */
    public String clientMessage() {
        return clientMessage;
    }

    /** Whether the same request may succeed if sent again later. */
    public boolean retryable() {
        return retryable;
    }
}
