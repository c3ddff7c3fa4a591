package dev.runrelay.adapter.openai.assistants;

import com.openai.core.JsonValue;
import com.openai.core.http.Headers;
import com.openai.errors.SseException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import com.openai.models.beta.threads.messages.AnnotationDelta;
import com.openai.models.beta.threads.messages.MessageContentDelta;
import com.openai.models.beta.threads.messages.MessageDeltaEvent;
import com.openai.models.beta.threads.runs.steps.CodeInterpreterToolCallDelta;
import com.openai.models.beta.threads.runs.steps.FunctionToolCallDelta;
import com.openai.models.beta.threads.runs.steps.RunStepDeltaEvent;
import com.openai.models.beta.threads.runs.steps.ToolCallDelta;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.ToolCall;
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
 * Turns one Assistants stream's events into domain events, deriving what the wire leaves implicit:
 * {@link RunEvent.TextCreated} before the first delta of each text part, {@link RunEvent.ToolCallCreated}
 * the first time a tool call shows up, the function name on its first argument fragment, and
 * the {@link RunEvent.StreamEnded} that closes a well-formed stream. One instance per stream; not
 * thread-safe (called for one stream's events in order, on its connection's event loop).
 */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class AssistantStreamMapper {

    private static final Logger log = LoggerFactory.getLogger(AssistantStreamMapper.class);

    /** What is known of one tool call, keyed by step id and the call's index within the step. */
    private static final class ToolCallState {
        final String id;
        final ToolType type;
        String functionName;
        boolean nameSent;

        ToolCallState(String id, ToolType type) {
            this.id = id;
            this.type = type;
        }
    }

    private static final java.util.regex.Pattern EVENT_NAME =
            java.util.regex.Pattern.compile("\"event\"\\s*:\\s*\"([^\"]{1,100})\"");

    private final Headers headers;
    private final Set<String> startedTextParts = new HashSet<>();
    /** The text part last started (in {@link #startedTextParts} already). */
    private String lastStartedMessage;
    private int lastStartedIndex = -1;
    private final Map<String, ToolCallState> toolCalls = new HashMap<>();
    private final Set<String> knownToolCallIds = new HashSet<>();
    private String threadId;
    private String runId;
    private RunStatus lastStatus;
    private Usage usage;
    private int eventsSeen;

    /** @param headers the stream's response headers, so an {@code error} event keeps the request id */
    AssistantStreamMapper(Headers headers) {
        this.headers = headers == null ? Headers.builder().build() : headers;
    }

    /** The domain events for one provider event; empty for events with nothing to say. */
    List<RunEvent> map(AssistantStreamEvent event) {
        eventsSeen++;
        List<RunEvent> out = new ArrayList<>(2);
        event.accept(new AssistantStreamEvent.Visitor<Void>() {
            @Override
            public Void visitThreadCreated(AssistantStreamEvent.ThreadCreated created) {
                threadId = created.data().id();
                out.add(new RunEvent.ThreadCreated(threadId));
                return null;
            }

            @Override
            public Void visitThreadRunCreated(AssistantStreamEvent.ThreadRunCreated e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunQueued(AssistantStreamEvent.ThreadRunQueued e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunInProgress(AssistantStreamEvent.ThreadRunInProgress e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunRequiresAction(AssistantStreamEvent.ThreadRunRequiresAction e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunCompleted(AssistantStreamEvent.ThreadRunCompleted e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunIncomplete(AssistantStreamEvent.ThreadRunIncomplete e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunFailed(AssistantStreamEvent.ThreadRunFailed e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunCancelling(AssistantStreamEvent.ThreadRunCancelling e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunCancelled(AssistantStreamEvent.ThreadRunCancelled e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunExpired(AssistantStreamEvent.ThreadRunExpired e) {
                runChanged(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepCreated(AssistantStreamEvent.ThreadRunStepCreated e) {
                RunStep step = AssistantsMapping.step(e.data());
                out.add(new RunEvent.StepCreated(step));
                announceToolCalls(step, out);
                return null;
            }

            @Override
            public Void visitThreadRunStepInProgress(AssistantStreamEvent.ThreadRunStepInProgress e) {
                announceToolCalls(AssistantsMapping.step(e.data()), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepDelta(AssistantStreamEvent.ThreadRunStepDelta e) {
                stepDelta(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepCompleted(AssistantStreamEvent.ThreadRunStepCompleted e) {
                stepEnded(AssistantsMapping.step(e.data()), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepFailed(AssistantStreamEvent.ThreadRunStepFailed e) {
                stepEnded(AssistantsMapping.step(e.data()), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepCancelled(AssistantStreamEvent.ThreadRunStepCancelled e) {
                stepEnded(AssistantsMapping.step(e.data()), out);
                return null;
            }

            @Override
            public Void visitThreadRunStepExpired(AssistantStreamEvent.ThreadRunStepExpired e) {
                stepEnded(AssistantsMapping.step(e.data()), out);
                return null;
            }

            @Override
            public Void visitThreadMessageCreated(AssistantStreamEvent.ThreadMessageCreated e) {
                var message = e.data();
                out.add(new RunEvent.MessageCreated(message.id(), message.threadId(), message.runId().orElse(runId)));
                return null;
            }

            @Override
            public Void visitThreadMessageInProgress(AssistantStreamEvent.ThreadMessageInProgress e) {
                return null; // nothing new: created said it all
            }

            @Override
            public Void visitThreadMessageDelta(AssistantStreamEvent.ThreadMessageDelta e) {
                messageDelta(e.data(), out);
                return null;
            }

            @Override
            public Void visitThreadMessageCompleted(AssistantStreamEvent.ThreadMessageCompleted e) {
                out.add(new RunEvent.MessageCompleted(AssistantsMapping.message(e.data())));
                return null;
            }

            @Override
            public Void visitThreadMessageIncomplete(AssistantStreamEvent.ThreadMessageIncomplete e) {
                out.add(new RunEvent.MessageCompleted(AssistantsMapping.message(e.data())));
                return null;
            }

            @Override
            public Void visitErrorEvent(AssistantStreamEvent.ErrorEvent e) {
                // Fails the stream; the provider's translator reads the error object's code.
                throw SseException.builder().statusCode(200).headers(headers).error(e.data()).build();
            }

            @Override
            public Void unknown(JsonValue json) {
                log.warn("Skipping an Assistants stream event this adapter does not know: {}", eventName(json));
                return null;
            }
        });
        return out;
    }

    /**
     * The last event after the body ended cleanly. openai-java consumes {@code event: done} /
     * {@code data: [DONE]} itself and ends the stream, so a clean end counts as done only when the
     * run reached a resting status (terminal, or requires_action); otherwise the connection was
     * closed early and the stream is interrupted.
     */
    RunEvent.StreamEnded end() {
        if (lastStatus == null || !(lastStatus.isTerminal() || lastStatus == RunStatus.REQUIRES_ACTION)) {
            throw StreamFailures.interrupted("The OpenAI stream ended before the run finished (last status: "
                    + (lastStatus == null ? "none" : lastStatus.wireValue()) + ")", null, null);
        }
        return new RunEvent.StreamEnded(threadId, runId, lastStatus, usage);
    }

    /** Whether any event arrived: after one, a broken connection is an interrupted stream. */
    boolean started() {
        return eventsSeen > 0;
    }

    /** A {@code thread.run.*} event whose run the stream path bound itself ({@link AssistantEventStream}). */
    List<RunEvent> runChanged(RunJson run) {
        eventsSeen++;
        List<RunEvent> out = new ArrayList<>(2);
        runChanged(AssistantsMapping.run(run), out);
        return out;
    }

    private void runChanged(com.openai.models.beta.threads.runs.Run sdkRun, List<RunEvent> out) {
        runChanged(AssistantsMapping.run(sdkRun), out);
    }

    private void runChanged(Run run, List<RunEvent> out) {
        threadId = run.threadId();
        runId = run.id();
        // thread.run.created and thread.run.queued both say "queued": a status event is a change.
        if (run.status() != lastStatus) {
            out.add(new RunEvent.RunStatusChanged(run));
        }
        lastStatus = run.status();
        if (run.status() == RunStatus.REQUIRES_ACTION && run.requiredAction() != null) {
            out.add(new RunEvent.RequiresAction(run.threadId(), run.id(), run.requiredAction().toolCalls()));
        }
        if (run.usage() != null) {
            usage = run.usage();
            out.add(new RunEvent.UsageReported(run.id(), run.usage()));
        }
    }

    /** Tool calls already present in a step snapshot that no delta announced yet. */
    private void announceToolCalls(RunStep step, List<RunEvent> out) {
        if (step.details() instanceof StepDetails.ToolCalls calls) {
            for (ToolCall call : calls.toolCalls()) {
                if (knownToolCallIds.add(call.id())) {
                    String name = call instanceof ToolCall.Function function ? function.name() : null;
                    out.add(new RunEvent.ToolCallCreated(step.id(), call.id(), call.type(), name));
                }
            }
        }
    }

    private void stepEnded(RunStep step, List<RunEvent> out) {
        if (step.details() instanceof StepDetails.ToolCalls calls) {
            for (ToolCall call : calls.toolCalls()) {
                if (call instanceof ToolCall.FileSearch search && !search.results().isEmpty()) {
                    out.add(new RunEvent.FileSearchCalled(step.id(), search.id(), search.results()));
                }
            }
        }
        out.add(new RunEvent.StepCompleted(step));
    }

    private void stepDelta(RunStepDeltaEvent delta, List<RunEvent> out) {
        String stepId = delta.id();
        Optional<List<ToolCallDelta>> calls = delta.delta().stepDetails()
                .flatMap(details -> details.toolCalls())
                .flatMap(details -> details.toolCalls());
        for (ToolCallDelta call : calls.orElse(List.of())) {
            if (call.isCodeInterpreter()) {
                codeDelta(stepId, call.asCodeInterpreter(), out);
            } else if (call.isFunction()) {
                functionDelta(stepId, call.asFunction(), out);
            } else if (call.isFileSearch()) {
                var search = call.asFileSearch();
                ToolCallState state = toolCall(stepId, search.index(), search.id().orElse(null), ToolType.FILE_SEARCH, null, out);
                if (state != null && state.functionName == null) {
                    state.functionName = ""; // marks "announced to the client"
                    out.add(new RunEvent.FileSearchCalled(stepId, state.id, List.of()));
                }
            }
        }
    }

    private void codeDelta(String stepId, CodeInterpreterToolCallDelta delta, List<RunEvent> out) {
        ToolCallState state = toolCall(stepId, delta.index(), delta.id().orElse(null), ToolType.CODE_INTERPRETER, null, out);
        String callId = state == null ? delta.id().orElse(null) : state.id;
        delta.codeInterpreter().ifPresent(code -> {
            code.input().filter(input -> !input.isEmpty())
                    .ifPresent(input -> out.add(new RunEvent.CodeInputDelta(stepId, callId, input)));
            for (var output : code.outputs().orElse(List.of())) {
                if (output.isLogs()) {
                    output.asLogs().logs().ifPresent(logs ->
                            out.add(new RunEvent.CodeOutputAdded(stepId, callId, new CodeOutput.Logs(logs))));
                } else if (output.isImage()) {
                    output.asImage().image().flatMap(image -> image.fileId()).ifPresent(fileId ->
                            out.add(new RunEvent.CodeOutputAdded(stepId, callId, new CodeOutput.Image(fileId))));
                }
            }
        });
    }

    private void functionDelta(String stepId, FunctionToolCallDelta delta, List<RunEvent> out) {
        functionArguments(stepId, delta.index(), delta.id().orElse(null),
                delta.function().flatMap(function -> function.name()).orElse(null),
                delta.function().flatMap(function -> function.arguments()).orElse(""), out);
    }

    /**
     * A {@code thread.run.step.delta} that carries only function-call fragments, read in one pass by
     * {@link AssistantEventStream} (each element: call index, id or null, name or null, arguments).
     */
    List<RunEvent> functionArgumentsDelta(String stepId, List<AssistantEventStream.FunctionFragment> fragments) {
        eventsSeen++;
        List<RunEvent> out = new ArrayList<>(2);
        for (var fragment : fragments) {
            functionArguments(stepId, fragment.index(), fragment.id(), fragment.name(), fragment.arguments(), out);
        }
        return out;
    }

    /**
     * A {@code thread.message.delta} that carries only plain text parts, read in one pass by
     * {@link AssistantEventStream} (each element: part index and text).
     */
    List<RunEvent> textDelta(String messageId, List<AssistantEventStream.TextFragment> fragments) {
        eventsSeen++;
        List<RunEvent> out = new ArrayList<>(fragments.size() + 1);
        for (var fragment : fragments) {
            int index = fragment.index();
            // A fragment of the part last started (nearly always) needs no key built and looked up.
            boolean lastStarted = index == lastStartedIndex && messageId.equals(lastStartedMessage);
            if (!lastStarted && startedTextParts.add(messageId + "#" + index)) {
                out.add(new RunEvent.TextCreated(messageId, index));
            }
            lastStartedMessage = messageId;
            lastStartedIndex = index;
            if (!fragment.text().isEmpty()) {
                out.add(new RunEvent.TextDelta(messageId, index, fragment.text(), List.of()));
            }
        }
        return out;
    }

    private void functionArguments(String stepId, long index, String id, String name, String arguments, List<RunEvent> out) {
        ToolCallState state = toolCall(stepId, index, id, ToolType.FUNCTION, name, out);
        if (state == null) {
            return;
        }
        if (state.functionName == null && name != null) {
            state.functionName = name;
        }
        String fragment = arguments == null ? "" : arguments;
        if (!fragment.isEmpty() || !state.nameSent) {
            String sentName = state.nameSent ? null : state.functionName;
            state.nameSent = true;
            out.add(new RunEvent.FunctionArgumentsDelta(stepId, state.id, sentName, fragment));
        }
    }

    /**
     * The call at {@code index} of step {@code stepId}, announcing it with {@link RunEvent.ToolCallCreated}
     * the first time it is seen with an id; null while its id is still unknown.
     */
    private ToolCallState toolCall(String stepId, long index, String id, ToolType type, String name, List<RunEvent> out) {
        String key = stepId + "#" + index;
        ToolCallState state = toolCalls.get(key);
        if (state != null) {
            return state;
        }
        if (id == null) {
            log.debug("Tool call delta without id before its first announcement: step {} index {}", stepId, index);
            return null;
        }
        state = new ToolCallState(id, type);
        state.functionName = type == ToolType.FUNCTION ? name : null;
        toolCalls.put(key, state);
        if (knownToolCallIds.add(id)) {
            out.add(new RunEvent.ToolCallCreated(stepId, id, type, name));
        }
        return state;
    }

    private void messageDelta(MessageDeltaEvent delta, List<RunEvent> out) {
        String messageId = delta.id();
        for (MessageContentDelta content : delta.delta().content().orElse(List.of())) {
            if (!content.isText()) {
                continue;
            }
            var block = content.asText();
            int index = (int) block.index();
            if (startedTextParts.add(messageId + "#" + index)) {
                out.add(new RunEvent.TextCreated(messageId, index));
            }
            String text = block.text().flatMap(textDelta -> textDelta.value()).orElse("");
            List<Annotation> annotations = block.text().flatMap(textDelta -> textDelta.annotations())
                    .orElse(List.of()).stream()
                    .map(AssistantStreamMapper::annotation)
                    .flatMap(Optional::stream)
                    .toList();
            if (!text.isEmpty() || !annotations.isEmpty()) {
                out.add(new RunEvent.TextDelta(messageId, index, text, annotations));
            }
        }
    }

    private static Optional<Annotation> annotation(AnnotationDelta delta) {
        if (delta.isFileCitation()) {
            var citation = delta.asFileCitation();
            return Optional.of(new Annotation(Annotation.Type.FILE_CITATION,
                    citation.text().orElse(null),
                    citation.fileCitation().flatMap(file -> file.fileId()).orElse(null),
                    citation.fileCitation().flatMap(file -> file.quote()).orElse(null),
                    citation.startIndex().map(Long::intValue).orElse(0),
                    citation.endIndex().map(Long::intValue).orElse(0)));
        }
        if (delta.isFilePath()) {
            var path = delta.asFilePath();
            return Optional.of(new Annotation(Annotation.Type.FILE_PATH,
                    path.text().orElse(null),
                    path.filePath().flatMap(file -> file.fileId()).orElse(null),
                    null,
                    path.startIndex().map(Long::intValue).orElse(0),
                    path.endIndex().map(Long::intValue).orElse(0)));
        }
        return Optional.empty();
    }

    private static String eventName(JsonValue json) {
        if (json == null) {
            return "(empty)";
        }
        try {
            // Only the name is logged: the data may hold message contents.
            var matcher = EVENT_NAME.matcher(com.openai.core.ObjectMappers.jsonMapper().writeValueAsString(json));
            return matcher.find() ? matcher.group(1) : "(no event name)";
        } catch (Exception unreadable) {
            return "(unreadable)";
        }
    }
}
