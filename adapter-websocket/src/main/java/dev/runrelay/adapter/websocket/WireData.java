package dev.runrelay.adapter.websocket;

import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.Tool;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The JSON shapes of runs, steps and pages in {@code result} frames: camelCase, times in epoch seconds. */
final class WireData {

    private WireData() {}

    record UsageData(long promptTokens, long completionTokens, long totalTokens) {
        static UsageData from(Usage usage) {
            return new UsageData(usage.promptTokens(), usage.completionTokens(), usage.totalTokens());
        }
    }

    record ErrorData(String code, String message) {
        static ErrorData from(RunError error) {
            return error == null ? null : new ErrorData(error.code(), error.message());
        }
    }

    record PageData<T>(List<T> data, String firstId, String lastId, boolean hasMore) {
        static <D, T> PageData<T> from(Page<D> page, Function<D, T> mapper) {
            return new PageData<>(page.data().stream().map(mapper).toList(), page.firstId(), page.lastId(),
                    page.hasMore());
        }
    }

    record ToolData(String type, String name, String description, String parameters, Boolean strict,
            Integer maxNumResults) {
        static ToolData from(Tool tool) {
            return switch (tool) {
                case Tool.CodeInterpreter ignored -> new ToolData("code_interpreter", null, null, null, null, null);
                case Tool.FileSearch search -> new ToolData("file_search", null, null, null, null, search.maxNumResults());
                case Tool.Function function -> new ToolData("function", function.name(), function.description(),
                        function.parametersJson(), function.strict(), null);
            };
        }
    }

    record RunData(
            String id, String threadId, String assistantId, String status, String model, String instructions,
            List<ToolData> tools, Long createdAt, Long startedAt, Long expiresAt, Long cancelledAt, Long failedAt,
            Long completedAt, List<ServerFrame.RequiresActionFrame.ToolCallData> requiredToolCalls,
            ErrorData lastError, String incompleteReason, UsageData usage, Map<String, String> metadata,
            SettingsData settings) {
        static RunData from(Run run) {
            RequiredAction action = run.requiredAction();
            return new RunData(run.id(), run.threadId(), run.assistantId(),
                    run.status() == null ? null : run.status().wireValue(), run.model(), run.instructions(),
                    run.tools().stream().map(ToolData::from).toList(), seconds(run.createdAt()),
                    seconds(run.startedAt()), seconds(run.expiresAt()), seconds(run.cancelledAt()),
                    seconds(run.failedAt()), seconds(run.completedAt()),
                    action == null ? null : action.toolCalls().stream()
                            .map(ServerFrame.RequiresActionFrame.ToolCallData::from).toList(),
                    ErrorData.from(run.lastError()),
                    run.incompleteDetails() == null ? null : run.incompleteDetails().reason(),
                    ServerFrame.usage(run.usage()), run.metadata(), SettingsData.from(run.settings()));
        }
    }

    record SettingsData(
            Double temperature, Double topP, Integer maxPromptTokens, Integer maxCompletionTokens,
            String truncationStrategy, Integer truncationLastMessages, String toolChoice, String toolChoiceFunction,
            Boolean parallelToolCalls, String responseFormat) {
        static SettingsData from(RunSettings settings) {
            var truncation = settings.truncationStrategy();
            var choice = settings.toolChoice();
            return new SettingsData(settings.temperature(), settings.topP(), settings.maxPromptTokens(),
                    settings.maxCompletionTokens(),
                    truncation == null ? null : truncation.type().name().toLowerCase(java.util.Locale.ROOT),
                    truncation == null ? null : truncation.lastMessages(),
                    choice == null ? null : choice.mode().name().toLowerCase(java.util.Locale.ROOT),
                    choice == null ? null : choice.functionName(), settings.parallelToolCalls(),
                    settings.responseFormat());
        }
    }

    record RunStepData(
            String id, String runId, String threadId, String assistantId, String type, String status,
            StepDetailsData details, UsageData usage, Long createdAt, Long completedAt, Long cancelledAt,
            Long failedAt, Long expiredAt, ErrorData lastError, Map<String, String> metadata) {
        static RunStepData from(RunStep step) {
            return new RunStepData(step.id(), step.runId(), step.threadId(), step.assistantId(),
                    step.type() == null ? null : step.type().wireValue(),
                    step.status() == null ? null : step.status().wireValue(), StepDetailsData.from(step.details()),
                    ServerFrame.usage(step.usage()), seconds(step.createdAt()), seconds(step.completedAt()),
                    seconds(step.cancelledAt()), seconds(step.failedAt()), seconds(step.expiredAt()),
                    ErrorData.from(step.lastError()), step.metadata());
        }
    }

    record StepDetailsData(String type, String messageId, List<ToolCallData> toolCalls) {
        static StepDetailsData from(StepDetails details) {
            return switch (details) {
                case null -> null;
                case StepDetails.MessageCreation creation ->
                        new StepDetailsData("message_creation", creation.messageId(), null);
                case StepDetails.ToolCalls calls -> new StepDetailsData("tool_calls", null,
                        calls.toolCalls().stream().map(ToolCallData::from).toList());
            };
        }
    }

    /** One tool call of a step; only the fields of its type are set. */
    record ToolCallData(
            String id, String type, String input, List<CodeOutputData> outputs, String name, String arguments,
            String output, List<FileSearchResultData> results) {
        static ToolCallData from(ToolCall call) {
            return switch (call) {
                case ToolCall.CodeInterpreter code -> new ToolCallData(code.id(), "code_interpreter", code.input(),
                        code.outputs().stream().map(CodeOutputData::from).toList(), null, null, null, null);
                case ToolCall.Function function -> new ToolCallData(function.id(), "function", null, null,
                        function.name(), function.arguments(), function.output(), null);
                case ToolCall.FileSearch search -> new ToolCallData(search.id(), "file_search", null, null, null,
                        null, null, search.results().stream().map(FileSearchResultData::from).toList());
            };
        }
    }

    record CodeOutputData(String type, String logs, String imageFileId) {
        static CodeOutputData from(CodeOutput output) {
            return switch (output) {
                case CodeOutput.Logs logs -> new CodeOutputData("logs", logs.text(), null);
                case CodeOutput.Image image -> new CodeOutputData("image", null, image.fileId());
            };
        }
    }

    record FileSearchResultData(String fileId, String fileName, double score, List<String> content) {
        static FileSearchResultData from(FileSearchResult result) {
            return new FileSearchResultData(result.fileId(), result.fileName(), result.score(), result.content());
        }
    }

    private static Long seconds(Instant instant) {
        return instant == null ? null : instant.getEpochSecond();
    }
}
