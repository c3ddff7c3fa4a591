package dev.runrelay.adapter.websocket;

/**
 * A client frame the protocol refuses (bad JSON, unknown type, too large, too many streams, …).
 * The message is a sentence safe to show the client; {@code requestId} is echoed when it was readable.
 */
final class ProtocolException extends RuntimeException {

    static final String INVALID_JSON = "invalid_json";
    static final String UNKNOWN_TYPE = "unknown_type";
    static final String INVALID_REQUEST = "invalid_request";
    static final String FRAME_TOO_LARGE = "frame_too_large";
    static final String TOO_MANY_STREAMS = "too_many_streams";
    static final String SLOW_CONSUMER = "slow_consumer";
    static final String SHUTTING_DOWN = "shutting_down";
    /** A {@code resume} the run's log cannot serve: the frame after afterSeq is gone (or the run is unknown). */
    static final String RESUME_UNAVAILABLE = "resume_unavailable";

    private final String code;
    private final boolean retryable;
    private final String field;
    private final String requestId;

    ProtocolException(String code, String message, boolean retryable, String field, String requestId) {
        super(message, null, false, false);
        this.code = code;
        this.retryable = retryable;
        this.field = field;
        this.requestId = requestId;
    }

    static ProtocolException of(String code, String message, String requestId) {
        return new ProtocolException(code, message, false, null, requestId);
    }

    static ProtocolException invalidField(String field, String message, String requestId) {
        return new ProtocolException(INVALID_REQUEST, field + ": " + message, false, field, requestId);
    }

    String code() {
        return code;
    }

    boolean retryable() {
        return retryable;
    }

    String field() {
        return field;
    }

    String requestId() {
        return requestId;
    }
}
