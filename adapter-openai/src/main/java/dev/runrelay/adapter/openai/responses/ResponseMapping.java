package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runrelay.adapter.openai.responses.ResponseView.OutputItem;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.run.IncompleteDetails;
import dev.runrelay.domain.run.RequiredAction;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunSettings;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.Tool;
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
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** Responses API objects ({@link ResponseView}) to the domain's runs, steps, messages and annotations. */
final class ResponseMapping {

    private ResponseMapping() {}

    static RunStatus status(ResponseView response) {
        return response.status() == null ? RunStatus.IN_PROGRESS : status(response.status());
    }

    static RunStatus status(String status) {
        return switch (status) {
            case "queued" -> RunStatus.QUEUED;
            case "completed" -> RunStatus.COMPLETED;
            case "failed" -> RunStatus.FAILED;
            case "incomplete" -> RunStatus.INCOMPLETE;
            case "cancelled" -> RunStatus.CANCELLED;
            default -> RunStatus.IN_PROGRESS;
        };
    }

    /** The function calls of a finished response: nobody answered them yet (outputs go in the next response). */
    static List<RequiredToolCall> functionCalls(ResponseView response) {
        return response.output().stream()
                .filter(OutputItem::isFunctionCall)
                .map(call -> new RequiredToolCall(call.callId(), call.name(), call.arguments()))
                .toList();
    }

    /**
     * The run a client sees: the ledger's identity and status, the newest response's details.
     *
     * @param responses the run's responses, oldest first (may be empty before the first is created)
     */
    static Run run(RunRecord record, List<ResponseView> responses, RunStatus status) {
        ResponseView latest = responses.isEmpty() ? null : responses.getLast();
        Usage usage = responses.stream()
                .map(ResponseMapping::usage)
                .flatMap(Optional::stream)
                .reduce((a, b) -> new Usage(a.promptTokens() + b.promptTokens(),
                        a.completionTokens() + b.completionTokens(), a.totalTokens() + b.totalTokens()))
                .orElse(null);
        Instant startedAt = responses.isEmpty() ? null : instant(responses.getFirst().createdAt());
        Instant endedAt = latest == null ? null
                : latest.completedAt() != null ? instant(latest.completedAt()) : status.isTerminal() ? Instant.now() : null;
        return new Run(
                record.runId(),
                record.threadId(),
                record.assistantId(),
                status,
                latest == null ? record.model() : latest.model(),
                latest == null ? null : latest.instructionsText(),
                latest == null ? List.of() : tools(latest),
                record.createdAt(),
                status == RunStatus.QUEUED ? null : startedAt,
                status == RunStatus.REQUIRES_ACTION ? record.expiresAt() : null,
                status == RunStatus.CANCELLED ? endedAt : null,
                status == RunStatus.FAILED ? endedAt : null,
                status == RunStatus.COMPLETED ? endedAt : null,
                status == RunStatus.REQUIRES_ACTION ? new RequiredAction(record.pendingToolCalls()) : null,
                latest == null || latest.error() == null ? null : new RunError(latest.error().code(), latest.error().message()),
                latest == null || status != RunStatus.INCOMPLETE ? null
                        : new IncompleteDetails(latest.incompleteDetails() == null ? null : latest.incompleteDetails().reason()),
                usage,
                record.metadata(),
                latest == null ? RunSettings.defaults() : new RunSettings(
                        latest.temperature(), latest.topP(), null,
                        latest.maxOutputTokens() == null ? null : latest.maxOutputTokens().intValue(), null, null,
                        latest.parallelToolCalls(), null));
    }

    static Optional<Usage> usage(ResponseView response) {
        var u = response.usage();
        return u == null ? Optional.empty() : Optional.of(new Usage(u.inputTokens(), u.outputTokens(), u.totalTokens()));
    }

    private static List<Tool> tools(ResponseView response) {
        var tools = new ArrayList<Tool>();
        for (var tool : response.tools()) {
            switch (Objects.requireNonNullElse(tool.type(), "")) {
                case "function" -> tools.add(new Tool.Function(tool.name(), tool.description(), null, tool.strict()));
                case "code_interpreter" -> tools.add(new Tool.CodeInterpreter());
                case "file_search" -> tools.add(new Tool.FileSearch(
                        tool.maxNumResults() == null ? null : tool.maxNumResults().intValue()));
                default -> { }
            }
        }
        return tools;
    }

    static Instant instant(double epochSeconds) {
        return Instant.ofEpochMilli((long) (epochSeconds * 1000));
    }

    /** The step an output item is, or empty for items that are no step (reasoning, web search, ...). */
    static Optional<RunStep> step(OutputItem item, RunRecordView run, Instant createdAt, RunStepStatus status) {
        String id;
        RunStepType type;
        StepDetails details;
        if (item.isMessage()) {
            id = item.id();
            type = RunStepType.MESSAGE_CREATION;
            details = new StepDetails.MessageCreation(id);
        } else if (item.isFunctionCall()) {
            id = item.id() != null ? item.id() : item.callId();
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.Function(item.callId(), item.name(), item.arguments(), null)));
        } else if (item.isCodeInterpreterCall()) {
            id = item.id();
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.CodeInterpreter(id,
                    Objects.requireNonNullElse(item.code(), ""), codeOutputs(item))));
        } else if (item.isFileSearchCall()) {
            id = item.id();
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.FileSearch(id, fileSearchResults(item))));
        } else {
            return Optional.empty();
        }
        Instant now = status == RunStepStatus.IN_PROGRESS ? null : createdAt;
        return Optional.of(new RunStep(id, run.runId(), run.threadId(), run.assistantId(), type, status, details, null,
                createdAt, status == RunStepStatus.COMPLETED ? now : null, status == RunStepStatus.CANCELLED ? now : null,
                status == RunStepStatus.FAILED ? now : null, null, null, Map.of()));
    }

    /** A finished item's step status, from the item's own status. */
    static RunStepStatus finishedStatus(OutputItem item) {
        return switch (Objects.requireNonNullElse(item.status(), "completed")) {
            case "failed" -> RunStepStatus.FAILED;
            case "incomplete" -> RunStepStatus.CANCELLED;
            default -> RunStepStatus.COMPLETED;
        };
    }

    /** A code interpreter call's outputs: {@code logs} and {@code image} entries. */
    static List<CodeOutput> codeOutputs(OutputItem call) {
        var outputs = new ArrayList<CodeOutput>();
        for (JsonNode output : elements(call.outputs())) {
            switch (text(output, "type", "")) {
                case "logs" -> outputs.add(new CodeOutput.Logs(text(output, "logs", null)));
                case "image" -> outputs.add(new CodeOutput.Image(text(output, "url", null)));
                default -> { }
            }
        }
        return outputs;
    }

    static List<FileSearchResult> fileSearchResults(OutputItem call) {
        var results = new ArrayList<FileSearchResult>();
        for (JsonNode result : elements(call.results())) {
            JsonNode score = result.get("score");
            String text = text(result, "text", null);
            // openai-java reads the score as a float: the same value, widened, as before.
            results.add(new FileSearchResult(text(result, "file_id", null), text(result, "filename", null),
                    score != null && score.isNumber() ? (double) score.floatValue() : 0.0,
                    text == null ? List.of() : List.of(text)));
        }
        return results;
    }

    /** The message's text: its {@code output_text} and {@code refusal} parts, in order. */
    static String text(OutputItem message) {
        var text = new StringBuilder();
        for (JsonNode part : elements(message.content())) {
            switch (text(part, "type", "")) {
                case "output_text" -> text.append(text(part, "text", ""));
                case "refusal" -> text.append(text(part, "refusal", ""));
                default -> { }
            }
        }
        return text.toString();
    }

    static List<Annotation> annotations(OutputItem message) {
        var annotations = new ArrayList<Annotation>();
        for (JsonNode part : elements(message.content())) {
            if ("output_text".equals(text(part, "type", ""))) {
                for (JsonNode annotation : elements(part.get("annotations"))) {
                    annotation(annotation).ifPresent(annotations::add);
                }
            }
        }
        return annotations;
    }

    /** An annotation by its JSON (file_citation, file_path, container_file_citation). */
    static Optional<Annotation> annotation(JsonNode json) {
        String type = json == null ? null : text(json, "type", null);
        if (type == null) {
            return Optional.empty();
        }
        int index = number(json, "index");
        return switch (type) {
            case "file_citation" -> Optional.of(new Annotation(Annotation.Type.FILE_CITATION, text(json, "filename", null),
                    text(json, "file_id", null), null, index, index));
            case "file_path" -> Optional.of(new Annotation(Annotation.Type.FILE_PATH, null, text(json, "file_id", null),
                    null, index, index));
            case "container_file_citation" -> Optional.of(new Annotation(Annotation.Type.FILE_PATH, text(json, "filename", null),
                    text(json, "file_id", null), null, number(json, "start_index"), number(json, "end_index")));
            default -> Optional.empty();
        };
    }

    private static Iterable<JsonNode> elements(JsonNode array) {
        return array != null && array.isArray() ? array : List.of();
    }

    private static String text(JsonNode object, String name, String fallback) {
        JsonNode value = object.get(name);
        return value != null && value.isTextual() ? value.textValue() : fallback;
    }

    private static int number(JsonNode object, String name) {
        JsonNode value = object.get(name);
        return value != null && value.isNumber() ? (int) value.longValue() : 0;
    }

    /** Who a step belongs to. */
    record RunRecordView(String runId, String threadId, String assistantId) {}
}
