package dev.runrelay.adapter.openai.responses;

import dev.runrelay.adapter.openai.responses.ResponseMapping.RunRecordView;
import dev.runrelay.adapter.openai.responses.ResponseView.OutputItem;
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

    /** The response an event carries (created, in_progress, queued, and the terminal ones). */
    static Optional<ResponseView> response(ResponseEvent event) {
        return switch (event.type()) {
            case "response.created", "response.in_progress", "response.queued", "response.completed",
                    "response.failed", "response.incomplete", "response.cancelled" -> Optional.ofNullable(event.response());
            default -> Optional.empty();
        };
    }

    /** The domain events of a non-terminal event; empty for events that carry nothing for the client. */
    List<RunEvent> map(ResponseEvent event, RunRecord record) {
        var events = new ArrayList<RunEvent>();
        String type = event.type();
        switch (type) {
            case "response.created", "response.queued", "response.in_progress" -> {
                ResponseView response = event.required(event.response(), "response");
                responseCreatedAt = ResponseMapping.instant(response.createdAt());
                RunStatus status = ResponseMapping.status(response);
                if (status != lastStatus) {
                    lastStatus = status;
                    events.add(new RunEvent.RunStatusChanged(ResponseMapping.run(record, List.of(response), status)));
                }
            }
            case "response.output_item.added" -> itemAdded(event.required(event.item(), "item"), events);
            case "response.output_item.done" -> itemDone(event.required(event.item(), "item"), events);
            case "response.output_text.delta" -> {
                String itemId = event.required(event.itemId(), "item_id");
                startText(itemId, contentIndex(event), events);
                events.add(new RunEvent.TextDelta(itemId, contentIndex(event), event.required(event.delta(), "delta"), List.of()));
            }
            case "response.output_text.annotation.added" -> {
                String itemId = event.required(event.itemId(), "item_id");
                int contentIndex = contentIndex(event);
                ResponseMapping.annotation(event.annotation()).ifPresent(annotation -> {
                    startText(itemId, contentIndex, events);
                    events.add(new RunEvent.TextDelta(itemId, contentIndex, "", List.of(annotation)));
                });
            }
            case "response.code_interpreter_call_code.delta" -> {
                String itemId = event.required(event.itemId(), "item_id");
                events.add(new RunEvent.CodeInputDelta(itemId, itemId, event.required(event.delta(), "delta")));
            }
            case "response.function_call_arguments.delta" -> {
                String itemId = event.required(event.itemId(), "item_id");
                FunctionCall call = functionCalls.getOrDefault(itemId, new FunctionCall(itemId, null));
                String name = argumentsStarted.add(itemId) ? call.name() : null;
                events.add(new RunEvent.FunctionArgumentsDelta(itemId, call.callId(), name, event.required(event.delta(), "delta")));
            }
            case "response.file_search_call.searching" -> {
                String itemId = event.required(event.itemId(), "item_id");
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
                String itemId = event.required(event.itemId(), "item_id");
                startText(itemId, contentIndex(event), events);
                events.add(new RunEvent.TextDelta(itemId, contentIndex(event), event.required(event.delta(), "delta"), List.of()));
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
    List<RunEvent> terminalEvents(ResponseView response, RunRecord record) {
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
    static List<RequiredToolCall> waitingCalls(ResponseView response) {
        return ResponseMapping.status(response) == RunStatus.COMPLETED ? ResponseMapping.functionCalls(response) : List.of();
    }

    /** The event's {@code content_index}, which the events that carry text must have (openai-java requires it). */
    private static int contentIndex(ResponseEvent event) {
        if (event.contentIndex() < 0) {
            event.required(null, "content_index");
        }
        return (int) event.contentIndex();
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

    private void itemAdded(OutputItem item, List<RunEvent> events) {
        var step = ResponseMapping.step(item, run, responseCreatedAt, RunStepStatus.IN_PROGRESS);
        if (step.isEmpty()) {
            log.debug("Skipping an output item that is no run step");
            return;
        }
        events.add(new RunEvent.StepCreated(step.get()));
        String stepId = step.get().id();
        if (item.isMessage()) {
            events.add(new RunEvent.MessageCreated(item.id(), run.threadId(), run.runId()));
        } else if (item.isFunctionCall()) {
            functionCalls.put(stepId, new FunctionCall(item.callId(), item.name()));
            events.add(new RunEvent.ToolCallCreated(stepId, item.callId(), ToolType.FUNCTION, item.name()));
        } else if (item.isCodeInterpreterCall()) {
            events.add(new RunEvent.ToolCallCreated(stepId, item.id(), ToolType.CODE_INTERPRETER, null));
        } else if (item.isFileSearchCall()) {
            events.add(new RunEvent.ToolCallCreated(stepId, item.id(), ToolType.FILE_SEARCH, null));
        }
    }

    private void itemDone(OutputItem item, List<RunEvent> events) {
        var step = ResponseMapping.step(item, run, responseCreatedAt, ResponseMapping.finishedStatus(item));
        if (step.isEmpty()) {
            return;
        }
        String stepId = step.get().id();
        if (item.isMessage()) {
            events.add(new RunEvent.MessageCompleted(new Message(item.id(), run.threadId(), run.runId(),
                    ResponseMapping.text(item), ResponseMapping.annotations(item), !"completed".equals(item.status()))));
        } else if (item.isCodeInterpreterCall()) {
            for (CodeOutput output : ResponseMapping.codeOutputs(item)) {
                events.add(new RunEvent.CodeOutputAdded(stepId, item.id(), output));
            }
        } else if (item.isFileSearchCall()) {
            var results = ResponseMapping.fileSearchResults(item);
            if (!results.isEmpty()) {
                events.add(new RunEvent.FileSearchCalled(stepId, item.id(), results));
            }
        } else if (item.isFunctionCall()) {
            if (argumentsStarted.add(stepId) && item.arguments() != null && !item.arguments().isEmpty()) {
                // The arguments came whole, without deltas: still tell the client as one fragment.
                events.add(new RunEvent.FunctionArgumentsDelta(stepId, item.callId(), item.name(), item.arguments()));
            }
        }
        events.add(new RunEvent.StepCompleted(step.get()));
    }
}
