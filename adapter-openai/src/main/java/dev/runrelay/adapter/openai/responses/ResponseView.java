package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.runrelay.adapter.openai.PlainJson;
import com.openai.models.responses.Response;
import java.util.List;

/**
 * A Responses API {@code response} object, reduced to what the adapter reads from it, and bound by a plain
 * Jackson mapper (records, no Kotlin module, no union types). The stream path binds every structural
 * event's response and output items into these (ADR 0031): openai-java's binding of its {@code Response}
 * goes through Kotlin reflection and union deserializers that try variants by catching exceptions, and was
 * the largest single cost per event under load. Calls that get openai-java's {@code Response} (create,
 * retrieve, cancel) convert it with {@link #of(Response)}, so one mapping ({@link ResponseMapping}) reads both.
 *
 * <p>Members whose shape varies with the item or tool type ({@code instructions}, a message's
 * {@code content}, a code interpreter call's {@code outputs}, a file search call's {@code results}) are
 * kept as trees and read by {@link ResponseMapping}; anything not named here is ignored, as openai-java
 * keeps it without reading it.
 */
record ResponseView(
        String id,
        String status,
        @JsonProperty("created_at") double createdAt,
        @JsonProperty("completed_at") Double completedAt,
        String model,
        JsonNode instructions,
        List<ToolJson> tools,
        ErrorJson error,
        @JsonProperty("incomplete_details") IncompleteJson incompleteDetails,
        TokenUsage usage,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_output_tokens") Long maxOutputTokens,
        @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
        List<OutputItem> output) {

    private static final ObjectReader READER = PlainJson.MAPPER.readerFor(ResponseView.class);

    ResponseView {
        tools = tools == null ? List.of() : tools;
        output = output == null ? List.of() : output;
    }

    /** openai-java's response as the stream path reads it: its JSON (openai-java writes what it read) bound here. */
    static ResponseView of(Response response) {
        return PlainJson.fromSdkModel(response, READER);
    }

    /** The {@code instructions} when they are a string (not a list of input items), else null. */
    String instructionsText() {
        return instructions != null && instructions.isTextual() ? instructions.textValue() : null;
    }

    record ToolJson(
            String type,
            String name,
            String description,
            Boolean strict,
            @JsonProperty("max_num_results") Long maxNumResults) {}

    record ErrorJson(String code, String message) {}

    record IncompleteJson(String reason) {}

    record TokenUsage(
            @JsonProperty("input_tokens") long inputTokens,
            @JsonProperty("output_tokens") long outputTokens,
            @JsonProperty("total_tokens") long totalTokens) {}

    /**
     * One output item. {@code type} says which members mean something: {@code message} (id, status,
     * content), {@code function_call} (id, call_id, name, arguments), {@code code_interpreter_call} (id, code,
     * outputs), {@code file_search_call} (id, results); other types are no run step.
     */
    record OutputItem(
            String type,
            String id,
            String status,
            @JsonProperty("call_id") String callId,
            String name,
            String arguments,
            String code,
            JsonNode content,
            JsonNode outputs,
            JsonNode results) {

        boolean isMessage() {
            return "message".equals(type);
        }

        boolean isFunctionCall() {
            return "function_call".equals(type);
        }

        boolean isCodeInterpreterCall() {
            return "code_interpreter_call".equals(type);
        }

        boolean isFileSearchCall() {
            return "file_search_call".equals(type);
        }
    }
}
