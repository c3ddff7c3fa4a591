package dev.runrelay.adapter.openai.assistants;

import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.openai.models.beta.threads.messages.MessageContent;
import com.openai.models.beta.threads.runs.steps.CodeInterpreterToolCall;
import com.openai.models.beta.threads.runs.steps.FileSearchToolCall;
import com.openai.models.beta.threads.runs.steps.FunctionToolCall;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.run.IncompleteDetails;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.run.ToolChoice;
import dev.runrelay.domain.run.TruncationStrategy;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.RunStepStatus;
import dev.runrelay.domain.step.RunStepType;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** openai-java's Assistants objects to domain objects. */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class AssistantsMapping {

    private AssistantsMapping() {}

    static Run run(com.openai.models.beta.threads.runs.Run run) {
        return run(RunJson.of(run));
    }

    /** A run as the stream path binds it ({@link RunJson}); openai-java's runs are converted to it first. */
    static Run run(RunJson run) {
        return new Run(
                run.id(),
                run.threadId(),
                run.assistantId(),
                runStatus(run.status()),
                run.model(),
                run.instructions(),
                run.tools().stream().map(AssistantsMapping::tool).flatMap(Optional::stream).toList(),
                instant(run.createdAt()),
                instant(run.startedAt()),
                instant(run.expiresAt()),
                instant(run.cancelledAt()),
                instant(run.failedAt()),
                instant(run.completedAt()),
                run.requiredAction() == null || run.requiredAction().submitToolOutputs() == null ? null
                        : new RequiredAction(run.requiredAction().submitToolOutputs().toolCalls().stream()
                                .map(call -> new RequiredToolCall(call.id(), call.function() == null ? null : call.function().name(),
                                        call.function() == null ? null : call.function().arguments()))
                                .toList()),
                run.lastError() == null ? null : new RunError(run.lastError().code(), run.lastError().message()),
                run.incompleteDetails() == null ? null : new IncompleteDetails(run.incompleteDetails().reason()),
                run.usage() == null ? null
                        : new Usage(run.usage().promptTokens(), run.usage().completionTokens(), run.usage().totalTokens()),
                metadata(run.metadata()),
                new RunSettings(
                        run.temperature(),
                        run.topP(),
                        run.maxPromptTokens() == null ? null : run.maxPromptTokens().intValue(),
                        run.maxCompletionTokens() == null ? null : run.maxCompletionTokens().intValue(),
                        run.truncationStrategy() == null ? null : new TruncationStrategy(
                                "last_messages".equals(run.truncationStrategy().type())
                                        ? TruncationStrategy.Type.LAST_MESSAGES : TruncationStrategy.Type.AUTO,
                                run.truncationStrategy().lastMessages() == null ? null
                                        : run.truncationStrategy().lastMessages().intValue()),
                        toolChoice(run.toolChoice()),
                        run.parallelToolCalls(),
                        responseFormat(run.responseFormat())));
    }

    static RunStatus runStatus(String wire) {
        return RunStatus.fromWire(wire)
                .orElseThrow(() -> new IllegalArgumentException("unknown run status: " + wire));
    }

    static RunStep step(com.openai.models.beta.threads.runs.steps.RunStep step) {
        var details = step.stepDetails();
        StepDetails domainDetails = details.isMessageCreation()
                ? new StepDetails.MessageCreation(details.asMessageCreation().messageCreation().messageId())
                : new StepDetails.ToolCalls(details.asToolCalls().toolCalls().stream()
                        .map(AssistantsMapping::toolCall).flatMap(Optional::stream).toList());
        return new RunStep(
                step.id(),
                step.runId(),
                step.threadId(),
                step.assistantId(),
                "tool_calls".equals(step.type().asString()) ? RunStepType.TOOL_CALLS : RunStepType.MESSAGE_CREATION,
                stepStatus(step.status().asString()),
                domainDetails,
                step.usage().map(usage -> new Usage(usage.promptTokens(), usage.completionTokens(), usage.totalTokens()))
                        .orElse(null),
                instant(step.createdAt()),
                instant(step.completedAt()),
                instant(step.cancelledAt()),
                instant(step.failedAt()),
                instant(step.expiredAt()),
                step.lastError().map(error -> new RunError(error.code().asString(), error.message())).orElse(null),
                step.metadata().map(metadata -> strings(metadata._additionalProperties())).orElse(Map.of()));
    }

    static RunStepStatus stepStatus(String wire) {
        for (RunStepStatus status : RunStepStatus.values()) {
            if (status.wireValue().equals(wire)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown step status: " + wire);
    }

    static Optional<ToolCall> toolCall(com.openai.models.beta.threads.runs.steps.ToolCall call) {
        if (call.isCodeInterpreter()) {
            CodeInterpreterToolCall code = call.asCodeInterpreter();
            List<CodeOutput> outputs = code.codeInterpreter().outputs().stream()
                    .map(output -> output.isLogs()
                            ? (CodeOutput) new CodeOutput.Logs(output.asLogs().logs())
                            : new CodeOutput.Image(output.asImage().image().fileId()))
                    .toList();
            return Optional.of(new ToolCall.CodeInterpreter(code.id(), code.codeInterpreter().input(), outputs));
        }
        if (call.isFileSearch()) {
            FileSearchToolCall search = call.asFileSearch();
            return Optional.of(new ToolCall.FileSearch(search.id(), fileSearchResults(search)));
        }
        if (call.isFunction()) {
            FunctionToolCall function = call.asFunction();
            return Optional.of(new ToolCall.Function(function.id(), function.function().name(),
                    function.function().arguments(), function.function().output().orElse(null)));
        }
        return Optional.empty();
    }

    static List<FileSearchResult> fileSearchResults(FileSearchToolCall search) {
        return search.fileSearch().results().orElse(List.of()).stream()
                .map(result -> new FileSearchResult(result.fileId(), result.fileName(), result.score(),
                        result.content().orElse(List.of()).stream()
                                .map(content -> content.text().orElse(""))
                                .toList()))
                .toList();
    }

    static Message message(com.openai.models.beta.threads.messages.Message message) {
        StringBuilder text = new StringBuilder();
        List<Annotation> annotations = new ArrayList<>();
        for (MessageContent content : message.content()) {
            if (content.isText()) {
                var block = content.asText().text();
                text.append(block.value());
                for (var annotation : block.annotations()) {
                    annotation(annotation).ifPresent(annotations::add);
                }
            }
        }
        return new Message(message.id(), message.threadId(), message.runId().orElse(null), text.toString(),
                annotations, "incomplete".equals(message.status().asString()));
    }

    private static Optional<Annotation> annotation(com.openai.models.beta.threads.messages.Annotation annotation) {
        if (annotation.isFileCitation()) {
            var citation = annotation.asFileCitation();
            JsonValue quoteValue = citation.fileCitation()._additionalProperties().get("quote");
            String quote = quoteValue == null ? null : text(quoteValue);
            return Optional.of(new Annotation(Annotation.Type.FILE_CITATION, citation.text(),
                    citation.fileCitation().fileId(), quote, (int) citation.startIndex(), (int) citation.endIndex()));
        }
        if (annotation.isFilePath()) {
            var path = annotation.asFilePath();
            return Optional.of(new Annotation(Annotation.Type.FILE_PATH, path.text(), path.filePath().fileId(), null,
                    (int) path.startIndex(), (int) path.endIndex()));
        }
        return Optional.empty();
    }

    private static Optional<Tool> tool(RunJson.ToolJson tool) {
        return switch (tool.type() == null ? "" : tool.type()) {
            case "code_interpreter" -> Optional.of(new Tool.CodeInterpreter());
            case "file_search" -> Optional.of(new Tool.FileSearch(tool.fileSearch() == null
                    || tool.fileSearch().maxNumResults() == null ? null : tool.fileSearch().maxNumResults().intValue()));
            case "function" -> {
                var function = tool.function();
                if (function == null) {
                    yield Optional.empty();
                }
                String parameters = function.parameters() == null || function.parameters().isNull() ? null
                        : json(function.parameters());
                yield Optional.of(new Tool.Function(function.name(), function.description(), parameters, function.strict()));
            }
            default -> Optional.empty();
        };
    }

    /** {@code tool_choice}: a mode ({@code none}, {@code auto}, {@code required}) or an object naming a tool. */
    private static ToolChoice toolChoice(JsonNode option) {
        if (option == null || option.isNull()) {
            return null;
        }
        if (option.isTextual()) {
            return switch (option.textValue()) {
                case "none" -> ToolChoice.of(ToolChoice.Mode.NONE);
                case "required" -> ToolChoice.of(ToolChoice.Mode.REQUIRED);
                default -> ToolChoice.of(ToolChoice.Mode.AUTO);
            };
        }
        JsonNode name = option.path("function").path("name");
        return name.isTextual() ? ToolChoice.function(name.textValue()) : ToolChoice.of(ToolChoice.Mode.REQUIRED);
    }

    /** {@code response_format}: {@code auto}, or an object whose type is {@code text} or {@code json_object}. */
    private static String responseFormat(JsonNode option) {
        if (option == null || option.isNull()) {
            return null;
        }
        return switch (option.path("type").asText("")) {
            case "text" -> "text";
            case "json_object" -> "json_object";
            default -> "auto";
        };
    }

    private static Map<String, String> metadata(JsonNode metadata) {
        if (metadata == null || !metadata.isObject()) {
            return Map.of();
        }
        Map<String, String> strings = new LinkedHashMap<>();
        metadata.properties().forEach(member -> strings.put(member.getKey(),
                member.getValue().isTextual() ? member.getValue().textValue() : member.getValue().toString()));
        return strings;
    }

    static Instant instant(Long epochSeconds) {
        return epochSeconds == null ? null : Instant.ofEpochSecond(epochSeconds);
    }

    static Instant instant(long epochSeconds) {
        return Instant.ofEpochSecond(epochSeconds);
    }

    static Instant instant(Optional<Long> epochSeconds) {
        return epochSeconds.map(Instant::ofEpochSecond).orElse(null);
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
