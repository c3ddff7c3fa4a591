package dev.runrelay.domain.step;

/** Extra data a step listing may include, with the API's wire value. */
public enum StepInclude {
    FILE_SEARCH_RESULT_CONTENT("step_details.tool_calls[*].file_search.results[*].content");

    private final String wireValue;

    StepInclude(String wireValue) {
        this.wireValue = wireValue;
    }

    public String wireValue() {
        return wireValue;
    }
}
