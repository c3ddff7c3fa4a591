package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.run.Tool;
import java.util.List;
import java.util.Objects;

/**
 * What an assistant id that is not a stored prompt ({@code pmpt_...}) stands for: the Responses API has
 * no assistants, so the gateway's configuration names them. A run's own options override each value.
 *
 * @param model e.g. {@code gpt-4.1-mini}
 * @param instructions the system instructions, or null
 * @param tools the tools, function schemas included
 * @param vectorStoreIds the vector stores a {@code file_search} tool searches (required by it)
 * @param codeInterpreterFileIds files the code interpreter's container starts with
 * @param temperature 0..2, or null for the model's default
 */
public record AssistantProfile(
        String model,
        String instructions,
        List<Tool> tools,
        List<String> vectorStoreIds,
        List<String> codeInterpreterFileIds,
        Double temperature) {

    public AssistantProfile {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("an assistant profile needs a model");
        }
        tools = tools == null ? List.of() : List.copyOf(tools);
        vectorStoreIds = vectorStoreIds == null ? List.of() : List.copyOf(vectorStoreIds);
        codeInterpreterFileIds = codeInterpreterFileIds == null ? List.of() : List.copyOf(codeInterpreterFileIds);
        if (temperature != null && (temperature < 0 || temperature > 2)) {
            throw new IllegalArgumentException("temperature must be between 0 and 2");
        }
    }

    /** Just a model, no instructions or tools. */
    public static AssistantProfile of(String model) {
        return new AssistantProfile(model, null, List.of(), List.of(), List.of(), null);
    }
}
