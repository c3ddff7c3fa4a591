package dev.runrelay.adapter.websocket;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunEventLogPort.Entry;
import dev.runrelay.domain.run.RunStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a run's log already delivered, read back from its frames, and the filter that keeps only the
 * rest of a provider's events when another instance takes the run over (docs/adr/0025).
 *
 * <p>Events are lined up with the log by content, not by position: the text, function arguments and
 * code of each message or tool call are counted as they come, and only what goes beyond what the log
 * holds passes (a delta that straddles the cut is cut too). Starts, completed messages, tool calls,
 * statuses and {@code requires_action} pass once. So a provider may repeat its events from any earlier
 * point (a background response read from its start, a polled message told whole) and the client still
 * gets every character once.
 */
final class DeliveredFrames {

    private final Map<String, Integer> text = new HashMap<>();
    private final Map<String, Integer> arguments = new HashMap<>();
    private final Map<String, Integer> code = new HashMap<>();
    private final Map<String, Integer> codeOutputs = new HashMap<>();
    private final Set<String> started = new HashSet<>();
    private final Set<String> done = new HashSet<>();
    private final Set<String> toolCalls = new HashSet<>();
    private final Set<String> statuses = new HashSet<>();
    private boolean requiresAction;
    private String requestId;
    private String threadId;
    private String runId;
    private long lastSeq;

    private DeliveredFrames() {}

    /** What {@code entries} (a log from its first frame on) delivered. */
    static DeliveredFrames of(List<Entry> entries, JsonMapper mapper) {
        var delivered = new DeliveredFrames();
        entries.forEach(entry -> delivered.add(entry.seq(), mapper.readTree(entry.frame())));
        return delivered;
    }

    private void add(long seq, JsonNode frame) {
        lastSeq = seq;
        requestId = textOr(frame, "requestId", requestId);
        threadId = textOr(frame, "threadId", threadId);
        runId = textOr(frame, "runId", runId);
        switch (frame.path("type").asString("")) {
            case "chunk" -> text.merge(frame.path("messageId").asString(""), length(frame, "message"), Integer::sum);
            case "start" -> started.add(frame.path("messageId").asString(""));
            case "message_done" -> done.add(frame.path("messageId").asString(""));
            case "function_call" -> arguments.merge(frame.path("toolCallId").asString(""), length(frame, "arguments"),
                    Integer::sum);
            case "code_input" -> code.merge(frame.path("toolCallId").asString(""), length(frame, "message"), Integer::sum);
            case "code_output" -> codeOutputs.merge(frame.path("toolCallId").asString(""), 1, Integer::sum);
            case "tool_call" -> toolCalls.add(frame.path("toolCallId").asString(""));
            case "status" -> statuses.add(frame.path("status").asString(""));
            case "requires_action" -> requiresAction = true;
            default -> {
                // error and end: a log that holds them is not taken over
            }
        }
    }

    private static String textOr(JsonNode frame, String field, String otherwise) {
        return frame.hasNonNull(field) ? frame.get(field).asString() : otherwise;
    }

    private static int length(JsonNode frame, String field) {
        return frame.hasNonNull(field) ? frame.get(field).asString().length() : 0;
    }

    String requestId() {
        return requestId;
    }

    String threadId() {
        return threadId;
    }

    String runId() {
        return runId;
    }

    /** The seq of the last logged frame: the taken-over stream goes on after it. */
    long lastSeq() {
        return lastSeq;
    }

    /** The events of {@code events} the log has not delivered, cut where they straddle it. */
    Flux<RunEvent> missing(Flux<RunEvent> events) {
        return Flux.defer(() -> {
            var seen = new Seen();
            return events.<RunEvent>handle((event, sink) -> {
                RunEvent rest = seen.rest(event);
                if (rest != null) {
                    sink.next(rest);
                }
            });
        });
    }

    /** How far one pass over the provider's events has come; one per subscription. */
    private final class Seen {
        private final Map<String, Integer> text = new HashMap<>();
        private final Map<String, Integer> arguments = new HashMap<>();
        private final Map<String, Integer> code = new HashMap<>();
        private final Map<String, Integer> codeOutputs = new HashMap<>();
        private final Set<String> started = new HashSet<>(DeliveredFrames.this.started);
        private final Set<String> done = new HashSet<>(DeliveredFrames.this.done);
        private final Set<String> toolCalls = new HashSet<>(DeliveredFrames.this.toolCalls);
        private final Set<String> statuses = new HashSet<>(DeliveredFrames.this.statuses);
        private boolean requiresAction = DeliveredFrames.this.requiresAction;

        RunEvent rest(RunEvent event) {
            return switch (event) {
                case RunEvent.TextDelta delta -> {
                    String part = beyond(text, DeliveredFrames.this.text, delta.messageId(), delta.text());
                    yield part == null ? null : part.equals(delta.text()) ? delta
                            : new RunEvent.TextDelta(delta.messageId(), delta.contentIndex(), part, delta.annotations());
                }
                case RunEvent.FunctionArgumentsDelta delta -> {
                    String part = beyond(arguments, DeliveredFrames.this.arguments, delta.toolCallId(), delta.fragment());
                    yield part == null ? null
                            : new RunEvent.FunctionArgumentsDelta(delta.stepId(), delta.toolCallId(), delta.name(), part);
                }
                case RunEvent.CodeInputDelta delta -> {
                    String part = beyond(code, DeliveredFrames.this.code, delta.toolCallId(), delta.fragment());
                    yield part == null ? null : new RunEvent.CodeInputDelta(delta.stepId(), delta.toolCallId(), part);
                }
                case RunEvent.CodeOutputAdded output -> codeOutputs.merge(output.toolCallId(), 1, Integer::sum)
                        > DeliveredFrames.this.codeOutputs.getOrDefault(output.toolCallId(), 0) ? output : null;
                case RunEvent.TextCreated created -> started.add(created.messageId()) ? created : null;
                case RunEvent.MessageCompleted completed -> done.add(completed.message().id()) ? completed : null;
                case RunEvent.ToolCallCreated call -> toolCalls.add(call.toolCallId()) ? call : null;
                case RunEvent.RunStatusChanged changed -> statuses.add(wire(changed.status())) ? changed : null;
                case RunEvent.RequiresAction action -> {
                    boolean first = !requiresAction;
                    requiresAction = true;
                    yield first ? action : null;
                }
                default -> event;
            };
        }

        /** The part of {@code fragment} past what the log holds for {@code key}; null when it holds all of it. */
        private static String beyond(Map<String, Integer> seen, Map<String, Integer> delivered, String key,
                String fragment) {
            String id = key == null ? "" : key;
            int from = seen.getOrDefault(id, 0);
            seen.put(id, from + fragment.length());
            int have = delivered.getOrDefault(id, 0);
            if (from + fragment.length() <= have) {
                return null;
            }
            return from >= have ? fragment : fragment.substring(have - from);
        }

        private static String wire(RunStatus status) {
            return status == null ? "" : status.wireValue();
        }
    }
}
