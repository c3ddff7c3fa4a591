package dev.runrelay.domain.run;

/** The kinds of tool an assistant can call, with the wire value the original frames carry. */
public enum ToolType {
    CODE_INTERPRETER("code_interpreter"),
    FILE_SEARCH("file_search"),
    FUNCTION("function");

    private final String wireValue;

    ToolType(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }
}
