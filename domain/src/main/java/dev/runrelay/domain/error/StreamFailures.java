package dev.runrelay.domain.error;

/**
 * The one owner of "the stream broke off": the only place a {@link ErrorCode#STREAM_INTERRUPTED}
 * failure is made, and the one decision of what a failure after a stream's first event means.
 */
public final class StreamFailures {

    private StreamFailures() {}

    /**
     * A stream that ended, or whose connection broke, before the provider said the run was done.
     *
     * @param detail for the logs only (clients read {@link ErrorCode#clientMessage()})
     */
    public static RunRelayException interrupted(String detail, String providerRequestId, Throwable cause) {
        return new RunRelayException(ErrorCode.STREAM_INTERRUPTED, detail, null, providerRequestId, false, cause);
    }

    /**
     * What a failure means once the stream has delivered its first event: the provider can no longer
     * be asked again without starting a second run, so a lost connection ({@code provider_unavailable})
     * is the stream breaking off. A failure the provider reported itself ({@link ProviderReportedException})
     * and every other code keep their own code.
     */
    public static RunRelayException afterFirstEvent(RunRelayException failure) {
        if (failure instanceof ProviderReportedException || failure.code() != ErrorCode.PROVIDER_UNAVAILABLE) {
            return failure;
        }
        return interrupted("The provider's stream broke off after its first event: " + failure.getMessage(),
                failure.providerRequestId().orElse(null), failure);
    }
}
