package dev.runrelay.domain.error;

import java.util.Objects;

/** A caller's argument is missing or malformed; {@link #field()} names it, e.g. {@code threadId}. */
public final class InvalidRequestException extends RunRelayException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(ErrorCode.INVALID_REQUEST, field + ": " + message);
        this.field = Objects.requireNonNull(field, "field");
    }

    public String field() {
        return field;
    }
}
