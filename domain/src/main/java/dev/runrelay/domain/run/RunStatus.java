package dev.runrelay.domain.run;

import java.util.Optional;

/** Every status an Assistants run can have, with its wire value. */
public enum RunStatus {
    QUEUED("queued"),
    IN_PROGRESS("in_progress"),
    REQUIRES_ACTION("requires_action"),
    CANCELLING("cancelling"),
    CANCELLED("cancelled"),
    FAILED("failed"),
    COMPLETED("completed"),
    INCOMPLETE("incomplete"),
    EXPIRED("expired");

    private final String wireValue;

    RunStatus(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }

    /** Whether the run has stopped for good (requires_action is a pause, not an end). */
    public boolean isTerminal() {
        return switch (this) {
            case CANCELLED, FAILED, COMPLETED, INCOMPLETE, EXPIRED -> true;
            case QUEUED, IN_PROGRESS, REQUIRES_ACTION, CANCELLING -> false;
        };
    }

    public static Optional<RunStatus> fromWire(String value) {
        for (RunStatus status : values()) {
            if (status.wireValue.equals(value)) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
