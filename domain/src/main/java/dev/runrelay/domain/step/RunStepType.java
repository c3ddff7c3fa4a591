package dev.runrelay.domain.step;

public enum RunStepType {
    MESSAGE_CREATION("message_creation"),
    TOOL_CALLS("tool_calls");

    private final String wireValue;

    RunStepType(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }
}
