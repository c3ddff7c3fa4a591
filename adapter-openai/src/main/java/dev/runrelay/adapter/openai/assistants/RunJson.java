package dev.runrelay.adapter.openai.assistants;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.runrelay.adapter.openai.PlainJson;
import java.io.IOException;
import java.util.List;

/**
 * An Assistants {@code thread.run}, reduced to what {@link AssistantsMapping#run(RunJson)} reads, bound by a
 * plain Jackson mapper (records, no Kotlin module, no union types; ADR 0031). The stream path binds every
 * {@code thread.run.*} event's data into this: openai-java's binding of its {@code Run} (Kotlin reflection,
 * union deserializers for tools, tool choice and response format that try variants by catching
 * exceptions) was the largest single cost of an Assistants stream's structural events. Calls that get
 * openai-java's {@code Run} convert it with {@link #of}, so one mapping reads both.
 *
 * <p>Members whose shape varies ({@code tool_choice}, {@code response_format}, a function's
 * {@code parameters}, {@code metadata}) stay trees, read by {@link AssistantsMapping}.
 */
record RunJson(
        String id,
        @JsonProperty("thread_id") String threadId,
        @JsonProperty("assistant_id") String assistantId,
        String status,
        String model,
        String instructions,
        List<ToolJson> tools,
        @JsonProperty("created_at") long createdAt,
        @JsonProperty("started_at") Long startedAt,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("cancelled_at") Long cancelledAt,
        @JsonProperty("failed_at") Long failedAt,
        @JsonProperty("completed_at") Long completedAt,
        @JsonProperty("required_action") RequiredActionJson requiredAction,
        @JsonProperty("last_error") ErrorJson lastError,
        @JsonProperty("incomplete_details") IncompleteJson incompleteDetails,
        UsageJson usage,
        JsonNode metadata,
        Double temperature,
        @JsonProperty("top_p") Double topP,
        @JsonProperty("max_prompt_tokens") Long maxPromptTokens,
        @JsonProperty("max_completion_tokens") Long maxCompletionTokens,
        @JsonProperty("truncation_strategy") TruncationJson truncationStrategy,
        @JsonProperty("tool_choice") JsonNode toolChoice,
        @JsonProperty("parallel_tool_calls") boolean parallelToolCalls,
        @JsonProperty("response_format") JsonNode responseFormat) {

    private static final ObjectReader READER = PlainJson.MAPPER.readerFor(RunJson.class);

    RunJson {
        tools = tools == null ? List.of() : tools;
    }

    /** A run's JSON text, as a {@code thread.run.*} event's data carries it. */
    static RunJson read(String data) throws IOException {
        return READER.readValue(data);
    }

    /** openai-java's run as the stream path reads it: its JSON (openai-java writes what it read) bound here. */
    static RunJson of(com.openai.models.beta.threads.runs.Run run) {
        return PlainJson.fromSdkModel(run, READER);
    }

    record ToolJson(String type, FunctionJson function, @JsonProperty("file_search") FileSearchJson fileSearch) {}

    record FunctionJson(String name, String description, JsonNode parameters, Boolean strict, String arguments) {}

    record FileSearchJson(@JsonProperty("max_num_results") Long maxNumResults) {}

    record RequiredActionJson(@JsonProperty("submit_tool_outputs") SubmitJson submitToolOutputs) {}

    record SubmitJson(@JsonProperty("tool_calls") List<CallJson> toolCalls) {
        SubmitJson {
            toolCalls = toolCalls == null ? List.of() : toolCalls;
        }
    }

    record CallJson(String id, FunctionJson function) {}

    record ErrorJson(String code, String message) {}

    record IncompleteJson(String reason) {}

    record UsageJson(
            @JsonProperty("prompt_tokens") long promptTokens,
            @JsonProperty("completion_tokens") long completionTokens,
            @JsonProperty("total_tokens") long totalTokens) {}

    record TruncationJson(String type, @JsonProperty("last_messages") Long lastMessages) {}
}
