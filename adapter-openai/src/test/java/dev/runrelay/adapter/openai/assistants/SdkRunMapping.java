package dev.runrelay.adapter.openai.assistants;

import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.beta.assistants.AssistantTool;
import com.openai.models.beta.threads.AssistantResponseFormatOption;
import com.openai.models.beta.threads.AssistantToolChoiceOption;
import com.openai.models.beta.threads.runs.RequiredActionFunctionToolCall;
import dev.runrelay.domain.run.IncompleteDetails;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolChoice;
import dev.runrelay.domain.run.TruncationStrategy;
import dev.runrelay.domain.shared.Usage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The oracle of {@link AssistantEventBindingTest}: how the adapter mapped openai-java's {@code Run} through its
 * accessors before the stream path bound runs itself (ADR 0031), kept verbatim.
 */
@SuppressWarnings("deprecation")
final class SdkRunMapping {

    private SdkRunMapping() {}

    static Run run(com.openai.models.beta.threads.runs.Run run) {
        return new Run(
                run.id(),
                run.threadId(),
                run.assistantId(),
                AssistantsMapping.runStatus(run.status().asString()),
                run.model(),
                run.instructions(),
                run.tools().stream().map(SdkRunMapping::tool).flatMap(Optional::stream).toList(),
                AssistantsMapping.instant(run.createdAt()),
                AssistantsMapping.instant(run.startedAt()),
                AssistantsMapping.instant(run.expiresAt()),
                AssistantsMapping.instant(run.cancelledAt()),
                AssistantsMapping.instant(run.failedAt()),
                AssistantsMapping.instant(run.completedAt()),
                run.requiredAction().map(action -> new RequiredAction(
                        action.submitToolOutputs().toolCalls().stream().map(SdkRunMapping::requiredCall).toList()))
                        .orElse(null),
                run.lastError().map(error -> new RunError(error.code().asString(), error.message())).orElse(null),
                run.incompleteDetails()
                        .map(details -> new IncompleteDetails(details.reason().map(Object::toString).orElse(null)))
                        .orElse(null),
                run.usage().map(usage -> new Usage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens()))
                        .orElse(null),
                run.metadata().map(metadata -> strings(metadata._additionalProperties())).orElse(Map.of()),
                new RunSettings(
                        run.temperature().orElse(null),
                        run.topP().orElse(null),
                        run.maxPromptTokens().map(Long::intValue).orElse(null),
                        run.maxCompletionTokens().map(Long::intValue).orElse(null),
                        run.truncationStrategy().map(strategy -> new TruncationStrategy(
                                "last_messages".equals(strategy.type().asString())
                                        ? TruncationStrategy.Type.LAST_MESSAGES : TruncationStrategy.Type.AUTO,
                                strategy.lastMessages().map(Long::intValue).orElse(null))).orElse(null),
                        run.toolChoice().map(SdkRunMapping::toolChoice).orElse(null),
                        run.parallelToolCalls(),
                        run.responseFormat().map(SdkRunMapping::responseFormat).orElse(null)));
    }
    private static RequiredToolCall requiredCall(RequiredActionFunctionToolCall call) {
        return new RequiredToolCall(call.id(), call.function().name(), call.function().arguments());
    }
    private static Optional<Tool> tool(AssistantTool tool) {
        if (tool.isCodeInterpreter()) {
            return Optional.of(new Tool.CodeInterpreter());
        }
        if (tool.isFileSearch()) {
            Integer max = tool.asFileSearch().fileSearch()
                    .flatMap(search -> search.maxNumResults()).map(Long::intValue).orElse(null);
            return Optional.of(new Tool.FileSearch(max));
        }
        if (tool.isFunction()) {
            var function = tool.asFunction().function();
            String parameters = function.parameters().map(SdkRunMapping::json).orElse(null);
            return Optional.of(new Tool.Function(function.name(), function.description().orElse(null), parameters,
                    function.strict().orElse(null)));
        }
        return Optional.empty();
    }
    private static ToolChoice toolChoice(AssistantToolChoiceOption option) {
        if (option.isAuto()) {
            return switch (option.asAuto().asString()) {
                case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
                case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
                default -> ToolChoice.of(ToolChoice.Mode.AUTO);
            };
        }
        var choice = option.asAssistantToolChoice();
        return choice.function().map(function -> ToolChoice.function(function.name()))
                .orElse(ToolChoice.of(ToolChoice.Mode.REQUIRED));
    }
    private static String responseFormat(AssistantResponseFormatOption option) {
        if (option.isResponseFormatText()) {
            return "text";
        }
        if (option.isResponseFormatJsonObject()) {
            return "json_object";
        }
        return "auto";
    }
    private static Map<String, String> strings(Map<String, JsonValue> values) {
        Map<String, String> strings = new LinkedHashMap<>();
        values.forEach((key, value) -> strings.put(key, text(value)));
        return strings;
    }
    private static String text(JsonValue value) {
        Object string = ((Optional<?>) value.asString()).orElse(null);
        return string instanceof String text ? text : String.valueOf(value);
    }

    private static String json(Object value) {
        try {
            return ObjectMappers.jsonMapper().writeValueAsString(value);
        } catch (Exception unexpected) {
            return null;
        }
    }
}
