package dev.runrelay.adapter.openai.responses;

import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseErrorEvent;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.runrelay.adapter.openai.responses.ResponseMapping.RunRecordView;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.RunStepStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one response's stream events into the domain's run events, deriving what Responses does not
 * send as such (text started, tool call created, the function name on the first argument fragment).
 * One instance per response stream; not thread-safe (a stream delivers its events in order).
 *
 * <p>The terminal events ({@code response.completed/failed/incomplete/cancelled}) are not mapped here
 * but by {@link #terminalEvents}, because the run's record must be updated before the client hears the
 * run ended (it may submit tool outputs at once).
 */
final class ResponseEventMapper {

    private static final Logger log = LoggerFactory.getLogger(ResponseEventMapper.class);
    private static final Set<String> TERMINAL =
            Set.of("response.completed", "response.failed", "response.incomplete", "response.cancelled");

    /** Event families of tools and features the domain has no events for (reasoning, web search, ...). */
    private static final List<String> IGNORED_FAMILIES = List.of(
            "response.reasoning", "response.web_search_call", "response.image_generation_call", "response.mcp",
            "response.audio", "response.refusal.done", "response.custom_tool_call", "response.shell_call",
            "response.compaction", "response.steer");

    private final RunRecordView run;
    private final Map<String, FunctionCall> functionCalls = new HashMap<>();
    private final Set<String> startedTexts = new HashSet<>();
    private final Set<String> argumentsStarted = new HashSet<>();
    /** The text last started (in {@link #startedTexts} already). */
    private String lastStartedMessage;
    private int lastStartedContent = -1;
    private RunStatus lastStatus;
    private Instant responseCreatedAt = Instant.now();

    private record FunctionCall(String callId, String name) {}

    ResponseEventMapper(RunRecordView run) {
        this.run = run;
    }

    /**
     * The wire type of an event, e.g. {@code response.output_text.delta}: a text delta's from its type
     * (it may have been built without JSON, see {@link ResponseEventStream}), any other's from its JSON.
     */
    static String type(ResponseStreamEvent event) {
        if (event.isOutputTextDelta()) {
            return ResponseEventStream.TEXT_DELTA;
        }
        return Objects.requireNonNullElse(ResponseMapping.string(fields(event), "type"), "?");
    }

    /** The event's {@code sequence_number}, or -1 when it has none. */
    static long sequenceNumber(ResponseStreamEvent event) {
        if (event.isOutputTextDelta()) {
            return event.asOutputTextDelta()._sequenceNumber().asKnown().orElse(-1L);
        }
        return ResponseMapping.number(fields(event), "sequence_number", -1);
    }

    static boolean isTerminal(ResponseStreamEvent event) {
        return TERMINAL.contains(type(event));
    }

    /** The response an event carries (created, in_progress, queued, and the terminal ones). */
    static Optional<Response> response(ResponseStreamEvent event) {
        return event.created().map(e -> e.response())
                .or(() -> event.inProgress().map(e -> e.response()))
                .or(() -> event.queued().map(e -> e.response()))
                .or(() -> event.completed().map(e -> e.response()))
                .or(() -> event.failed().map(e -> e.response()))
                .or(() -> event.incomplete().map(e -> e.response()))
                .or(() -> cancelled(event));
    }

    /** openai-java has no type for {@code response.cancelled}: read its response from the JSON. */
    private static Optional<Response> cancelled(ResponseStreamEvent event) {
        if (!"response.cancelled".equals(type(event))) {
            return Optional.empty();
        }
        JsonValue response = fields(event).get("response");
        return response == null ? Optional.empty() : Optional.of(ObjectMappers.jsonMapper().convertValue(response, Response.class));
    }

    private static Map<String, JsonValue> fields(ResponseStreamEvent event) {
        return event._json().map(ResponseMapping::fields).orElse(Map.of());
    }

    /** The domain events of a non-terminal event; empty for events that carry nothing for the client. */
    List<RunEvent> map(ResponseStreamEvent event, RunRecord record) {
        var events = new ArrayList<RunEvent>();
        String type = type(event);
        switch (type) {
            case "response.created", "response.queued", "response.in_progress" -> {
                Response response = response(event).orElseThrow();
                responseCreatedAt = ResponseMapping.instant(response.createdAt());
                RunStatus status = ResponseMapping.status(response);
                if (status != lastStatus) {
                    lastStatus = status;
                    events.add(new RunEvent.RunStatusChanged(ResponseMapping.run(record, List.of(response), status)));
                }
            }
            case "response.output_item.added" -> itemAdded(event.outputItemAdded().orElseThrow().item(), events);
            case "response.output_item.done" -> itemDone(event.outputItemDone().orElseThrow().item(), events);
            case "response.output_text.delta" -> {
                var delta = event.outputTextDelta().orElseThrow();
                startText(delta.itemId(), (int) delta.contentIndex(), events);
                events.add(new RunEvent.TextDelta(delta.itemId(), (int) delta.contentIndex(), delta.delta(), List.of()));
            }
            case "response.output_text.annotation.added" -> {
                var added = event.outputTextAnnotationAdded().orElseThrow();
                added.annotation().flatMap(a -> ResponseMapping.annotation(JsonValue.from(a))).ifPresent(annotation -> {
                    startText(added.itemId(), (int) added.contentIndex(), events);
                    events.add(new RunEvent.TextDelta(added.itemId(), (int) added.contentIndex(), "", List.of(annotation)));
                });
            }
            case "response.code_interpreter_call_code.delta" -> {
                var delta = event.codeInterpreterCallCodeDelta().orElseThrow();
                events.add(new RunEvent.CodeInputDelta(delta.itemId(), delta.itemId(), delta.delta()));
            }
            case "response.function_call_arguments.delta" -> {
                var delta = event.functionCallArgumentsDelta().orElseThrow();
                FunctionCall call = functionCalls.getOrDefault(delta.itemId(), new FunctionCall(delta.itemId(), null));
                String name = argumentsStarted.add(delta.itemId()) ? call.name() : null;
                events.add(new RunEvent.FunctionArgumentsDelta(delta.itemId(), call.callId(), name, delta.delta()));
            }
            case "response.file_search_call.searching" -> {
                String itemId = event.fileSearchCallSearching().orElseThrow().itemId();
                events.add(new RunEvent.FileSearchCalled(itemId, itemId, List.of()));
            }
            // Parts of what is mapped elsewhere (item done carries the whole), or nothing a run client sees.
            case "response.output_text.done", "response.content_part.added", "response.content_part.done",
                    "response.code_interpreter_call_code.done", "response.code_interpreter_call.in_progress",
                    "response.code_interpreter_call.interpreting", "response.code_interpreter_call.completed",
                    "response.function_call_arguments.done", "response.file_search_call.in_progress",
                    "response.file_search_call.completed" -> { }
            case "response.refusal.delta" -> {
                // A refusal is the assistant's answer too: the client shows it as the message's text.
                var delta = event.refusalDelta().orElseThrow();
                startText(delta.itemId(), (int) delta.contentIndex(), events);
                events.add(new RunEvent.TextDelta(delta.itemId(), (int) delta.contentIndex(), delta.delta(), List.of()));
            }
            default -> {
                if (IGNORED_FAMILIES.stream().anyMatch(type::startsWith)) {
                    log.debug("Skipping Responses stream event {} (no run event for it)", type);
                } else {
                    log.info("Skipping unknown Responses stream event type {}", type);
                }
            }
        }
        return events;
    }

    /** The closing events of the run stream for a terminal response, given the record as now stored. */
    List<RunEvent> terminalEvents(Response response, RunRecord record) {
        var events = new ArrayList<RunEvent>();
        RunStatus status = record.status() == RunStatus.REQUIRES_ACTION ? RunStatus.REQUIRES_ACTION : ResponseMapping.status(response);
        var usage = ResponseMapping.usage(response);
        events.add(new RunEvent.RunStatusChanged(ResponseMapping.run(record, List.of(response), status)));
        if (status == RunStatus.REQUIRES_ACTION) {
            events.add(new RunEvent.RequiresAction(record.threadId(), record.runId(), record.pendingToolCalls()));
        }
        usage.ifPresent(u -> events.add(new RunEvent.UsageReported(record.runId(), u)));
        events.add(new RunEvent.StreamEnded(record.threadId(), record.runId(), status, usage.orElse(null)));
        return events;
    }

    /** The calls a terminal response leaves waiting for the client. */
    static List<RequiredToolCall> waitingCalls(Response response) {
        return ResponseMapping.status(response) == RunStatus.COMPLETED ? ResponseMapping.functionCalls(response) : List.of();
    }

    static ResponseErrorEvent error(ResponseStreamEvent event) {
        return event.error().orElse(null);
    }

    private void startText(String messageId, int contentIndex, List<RunEvent> events) {
        if (contentIndex == lastStartedContent && messageId.equals(lastStartedMessage)) {
            return; // the text of the previous delta, as nearly always: no key to build and look up per delta
        }
        if (startedTexts.add(messageId + "#" + contentIndex)) {
            events.add(new RunEvent.TextCreated(messageId, contentIndex));
        }
        lastStartedMessage = messageId;
        lastStartedContent = contentIndex;
    }

    private void itemAdded(ResponseOutputItem item, List<RunEvent> events) {
        var step = ResponseMapping.step(item, run, responseCreatedAt, RunStepStatus.IN_PROGRESS);
        if (step.isEmpty()) {
            log.debug("Skipping an output item that is no run step");
            return;
        }
        events.add(new RunEvent.StepCreated(step.get()));
        String stepId = step.get().id();
        item.message().ifPresent(m -> events.add(new RunEvent.MessageCreated(m.id(), run.threadId(), run.runId())));
        item.functionCall().ifPresent(call -> {
            functionCalls.put(stepId, new FunctionCall(call.callId(), call.name()));
            events.add(new RunEvent.ToolCallCreated(stepId, call.callId(), ToolType.FUNCTION, call.name()));
        });
        item.codeInterpreterCall().ifPresent(call ->
                events.add(new RunEvent.ToolCallCreated(stepId, call.id(), ToolType.CODE_INTERPRETER, null)));
        item.fileSearchCall().ifPresent(call ->
                events.add(new RunEvent.ToolCallCreated(stepId, call.id(), ToolType.FILE_SEARCH, null)));
    }

    private void itemDone(ResponseOutputItem item, List<RunEvent> events) {
        var step = ResponseMapping.step(item, run, responseCreatedAt, ResponseMapping.finishedStatus(item));
        if (step.isEmpty()) {
            return;
        }
        String stepId = step.get().id();
        item.message().ifPresent(m -> events.add(new RunEvent.MessageCompleted(new Message(m.id(), run.threadId(),
                run.runId(), ResponseMapping.text(m), ResponseMapping.annotations(m),
                !m.status().asString().equals("completed")))));
        item.codeInterpreterCall().ifPresent(call -> {
            for (CodeOutput output : ResponseMapping.codeOutputs(call)) {
                events.add(new RunEvent.CodeOutputAdded(stepId, call.id(), output));
            }
        });
        item.fileSearchCall().ifPresent(call -> {
            var results = ResponseMapping.fileSearchResults(call);
            if (!results.isEmpty()) {
                events.add(new RunEvent.FileSearchCalled(stepId, call.id(), results));
            }
        });
        item.functionCall().ifPresent(call -> {
            if (argumentsStarted.add(stepId) && !call.arguments().isEmpty()) {
                // The arguments came whole, without deltas: still tell the client as one fragment.
                events.add(new RunEvent.FunctionArgumentsDelta(stepId, call.callId(), call.name(), call.arguments()));
            }
        });
        events.add(new RunEvent.StepCompleted(step.get()));
    }
}
