package dev.runrelay.domain.error;

/**
 * A failure the provider reported itself inside a stream (an {@code error} event), as opposed to a
 * connection that broke: it keeps its own code whenever it happens, and is never rewritten into
 * {@link ErrorCode#STREAM_INTERRUPTED}.
 */
public final class ProviderReportedException extends RunRelayException {

    private final String providerCode;

    public ProviderReportedException(ErrorCode code, String providerCode, String message, String providerRequestId,
            Throwable cause) {
        super(code, message, null, providerRequestId, false, cause);
        this.providerCode = providerCode;
    }

    /** The provider's own code, e.g. {@code server_error}; empty when it gave none. */
    public String providerCode() {
        return providerCode == null ? "" : providerCode;
    }
}
