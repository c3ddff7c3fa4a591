package dev.runrelay.adapter.openai.responses;

import com.openai.core.JsonValue;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCodeInterpreterToolCall;
import com.openai.models.responses.ResponseFileSearchToolCall;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseOutputMessage;
import com.openai.models.responses.ResponseOutputText;
import com.openai.models.responses.ResponseStatus;
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

/** Responses API objects to the domain's runs, steps, messages and annotations. */
final class ResponseMapping {

    private ResponseMapping() {}

    static RunStatus status(Response response) {
        return response.status().map(ResponseMapping::status).orElse(RunStatus.IN_PROGRESS);
    }

    static RunStatus status(ResponseStatus status) {
        return switch (status.asString()) {
            case "queued" -> RunStatus.QUEUED;
            case "completed" -> RunStatus.COMPLETED;
            case "failed" -> RunStatus.FAILED;
            case "incomplete" -> RunStatus.INCOMPLETE;
            case "cancelled" -> RunStatus.CANCELLED;
            default -> RunStatus.IN_PROGRESS;
        };
    }

    /** The function calls of a finished response: nobody answered them yet (outputs go in the next response). */
    static List<RequiredToolCall> functionCalls(Response response) {
        return response.output().stream()
                .flatMap(item -> item.functionCall().stream())
                .map(call -> new RequiredToolCall(call.callId(), call.name(), call.arguments()))
                .toList();
    }

    /**
     * The run a client sees: the ledger's identity and status, the newest response's details.
     *
     * @param responses the run's responses, oldest first (may be empty before the first is created)
     */
    static Run run(RunRecord record, List<Response> responses, RunStatus status) {
        Response latest = responses.isEmpty() ? null : responses.getLast();
        Usage usage = responses.stream()
                .map(ResponseMapping::usage)
                .flatMap(Optional::stream)
                .reduce((a, b) -> new Usage(a.promptTokens() + b.promptTokens(),
                        a.completionTokens() + b.completionTokens(), a.totalTokens() + b.totalTokens()))
                .orElse(null);
        Instant startedAt = responses.isEmpty() ? null : instant(responses.getFirst().createdAt());
        Instant endedAt = latest == null ? null
                : latest.completedAt().map(ResponseMapping::instant).orElseGet(() -> status.isTerminal() ? Instant.now() : null);
        return new Run(
                record.runId(),
                record.threadId(),
                record.assistantId(),
                status,
                latest == null ? record.model() : model(latest),
                latest == null ? null : latest.instructions().flatMap(i -> i.string()).orElse(null),
                latest == null ? List.of() : tools(latest),
                record.createdAt(),
                status == RunStatus.QUEUED ? null : startedAt,
                status == RunStatus.REQUIRES_ACTION ? record.expiresAt() : null,
                status == RunStatus.CANCELLED ? endedAt : null,
                status == RunStatus.FAILED ? endedAt : null,
                status == RunStatus.COMPLETED ? endedAt : null,
                status == RunStatus.REQUIRES_ACTION ? new RequiredAction(record.pendingToolCalls()) : null,
                latest == null ? null : latest.error().map(e -> new RunError(e.code().asString(), e.message())).orElse(null),
                latest == null || status != RunStatus.INCOMPLETE ? null
                        : latest.incompleteDetails().flatMap(d -> d.reason()).map(r -> new IncompleteDetails(r.asString()))
                                .orElse(new IncompleteDetails(null)),
                usage,
                record.metadata(),
                latest == null ? RunSettings.defaults() : new RunSettings(
                        latest.temperature().orElse(null), latest.topP().orElse(null), null,
                        latest.maxOutputTokens().map(Long::intValue).orElse(null), null, null,
                        latest.parallelToolCalls(), null));
    }

    static Optional<Usage> usage(Response response) {
        return response.usage().map(u -> new Usage(u.inputTokens(), u.outputTokens(), u.totalTokens()));
    }

    static String model(Response response) {
        var model = response.model();
        if (model.isString()) {
            return model.asString();
        }
        return model.isChat() ? model.asChat().asString() : model.isOnly() ? model.asOnly().asString() : null;
    }

    private static List<Tool> tools(Response response) {
        var tools = new ArrayList<Tool>();
        for (var tool : response.tools()) {
            tool.function().ifPresent(f -> tools.add(new Tool.Function(
                    f.name(), f.description().orElse(null), null, f.strict().orElse(null))));
            tool.codeInterpreter().ifPresent(c -> tools.add(new Tool.CodeInterpreter()));
            tool.fileSearch().ifPresent(f -> tools.add(new Tool.FileSearch(f.maxNumResults().map(Long::intValue).orElse(null))));
        }
        return tools;
    }

    static Instant instant(double epochSeconds) {
        return Instant.ofEpochMilli((long) (epochSeconds * 1000));
    }

    /** The step an output item is, or empty for items that are no step (reasoning, web search, ...). */
    static Optional<RunStep> step(ResponseOutputItem item, RunRecordView run, Instant createdAt, RunStepStatus status) {
        String id;
        RunStepType type;
        StepDetails details;
        if (item.message().isPresent()) {
            id = item.message().get().id();
            type = RunStepType.MESSAGE_CREATION;
            details = new StepDetails.MessageCreation(id);
        } else if (item.functionCall().isPresent()) {
            ResponseFunctionToolCall call = item.functionCall().get();
            id = call.id().orElse(call.callId());
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.Function(call.callId(), call.name(), call.arguments(), null)));
        } else if (item.codeInterpreterCall().isPresent()) {
            ResponseCodeInterpreterToolCall call = item.codeInterpreterCall().get();
            id = call.id();
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.CodeInterpreter(id, call.code().orElse(""), codeOutputs(call))));
        } else if (item.fileSearchCall().isPresent()) {
            ResponseFileSearchToolCall call = item.fileSearchCall().get();
            id = call.id();
            type = RunStepType.TOOL_CALLS;
            details = new StepDetails.ToolCalls(List.of(new ToolCall.FileSearch(id, fileSearchResults(call))));
        } else {
            return Optional.empty();
        }
        Instant now = status == RunStepStatus.IN_PROGRESS ? null : createdAt;
        return Optional.of(new RunStep(id, run.runId(), run.threadId(), run.assistantId(), type, status, details, null,
                createdAt, status == RunStepStatus.COMPLETED ? now : null, status == RunStepStatus.CANCELLED ? now : null,
                status == RunStepStatus.FAILED ? now : null, null, null, Map.of()));
    }

    /** A finished item's step status, from the item's own status. */
    static RunStepStatus finishedStatus(ResponseOutputItem item) {
        String status = Objects.requireNonNullElse(string(fields(JsonValue.from(item)), "status"), "completed");
        return switch (status) {
            case "failed" -> RunStepStatus.FAILED;
            case "incomplete" -> RunStepStatus.CANCELLED;
            default -> RunStepStatus.COMPLETED;
        };
    }

    static List<CodeOutput> codeOutputs(ResponseCodeInterpreterToolCall call) {
        var outputs = new ArrayList<CodeOutput>();
        for (var output : call.outputs().orElse(List.of())) {
            output.logs().ifPresent(l -> outputs.add(new CodeOutput.Logs(l.logs())));
            output.image().ifPresent(i -> outputs.add(new CodeOutput.Image(i.url())));
        }
        return outputs;
    }

    static List<FileSearchResult> fileSearchResults(ResponseFileSearchToolCall call) {
        return call.results().orElse(List.of()).stream()
                .map(r -> new FileSearchResult(r.fileId().orElse(null), r.filename().orElse(null), r.score().map(Float::doubleValue).orElse(0.0),
                        r.text().map(List::of).orElse(List.of())))
                .toList();
    }

    static String text(ResponseOutputMessage message) {
        var text = new StringBuilder();
        message.content().forEach(c -> {
            c.outputText().ifPresent(t -> text.append(t.text()));
            c.refusal().ifPresent(r -> text.append(r.refusal()));
        });
        return text.toString();
    }

    static List<Annotation> annotations(ResponseOutputMessage message) {
        var annotations = new ArrayList<Annotation>();
        message.content().forEach(c -> c.outputText().ifPresent(t -> {
            for (ResponseOutputText.Annotation annotation : t.annotations()) {
                annotation(JsonValue.from(annotation)).ifPresent(annotations::add);
            }
        }));
        return annotations;
    }

    /** Any of the SDK's annotation unions, by its JSON (file_citation, file_path, container_file_citation). */
    static Optional<Annotation> annotation(JsonValue json) {
        Map<String, JsonValue> fields = fields(json);
        String type = string(fields, "type");
        if (type == null) {
            return Optional.empty();
        }
        int index = number(fields, "index");
        return switch (type) {
            case "file_citation" -> Optional.of(new Annotation(Annotation.Type.FILE_CITATION, string(fields, "filename"),
                    string(fields, "file_id"), null, index, index));
            case "file_path" -> Optional.of(new Annotation(Annotation.Type.FILE_PATH, null, string(fields, "file_id"),
                    null, index, index));
            case "container_file_citation" -> Optional.of(new Annotation(Annotation.Type.FILE_PATH, string(fields, "filename"),
                    string(fields, "file_id"), null, number(fields, "start_index"), number(fields, "end_index")));
            default -> Optional.empty();
        };
    }

    // openai-java's JsonValue accessors reach Java without their type arguments; these restore them.

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Map<String, JsonValue> fields(JsonValue json) {
        Optional object = json.asObject();
        return (Map<String, JsonValue>) object.orElse(Map.of());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static String string(Map<String, JsonValue> fields, String name) {
        JsonValue value = fields.get(name);
        Optional text = value == null ? Optional.empty() : value.asString();
        return (String) text.orElse(null);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static long number(Map<String, JsonValue> fields, String name, long fallback) {
        JsonValue value = fields.get(name);
        Optional number = value == null ? Optional.empty() : value.asNumber();
        return number.isPresent() ? ((Number) number.get()).longValue() : fallback;
    }

    private static int number(Map<String, JsonValue> fields, String name) {
        return (int) number(fields, name, 0);
    }

    /** Who a step belongs to. */
    record RunRecordView(String runId, String threadId, String assistantId) {}
}
