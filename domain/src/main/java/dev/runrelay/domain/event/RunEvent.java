package dev.runrelay.domain.event;

import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.ToolType;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.RunStep;
import java.util.List;

/**
 * Everything a run stream can carry, provider-neutral. Providers derive the fine-grained events
 * (text created, tool call created, argument fragments) themselves, so every consumer sees the same
 * sequence whichever provider runs.
 *
 * <p>Step and message deltas arrive as their meaningful parts: a message delta is a {@link TextDelta};
 * a step delta is a {@link CodeInputDelta}, {@link CodeOutputAdded}, {@link FunctionArgumentsDelta}
 * or {@link FileSearchCalled}. Each of those names its step and tool call.
 *
 * <p>A well-formed stream ends with exactly one {@link StreamEnded}. A failure (provider error event,
 * dropped connection, timeout) is not an event: the publisher signals {@code onError} with a
 * {@link dev.runrelay.domain.error.RunRelayException}, see docs/adr/0002.
 */
public sealed interface RunEvent {

    /** A thread was created for this run (create thread-and-run). */
    record ThreadCreated(String threadId) implements RunEvent {}

    /** The run moved to a new status; {@code run} is the provider's snapshot at that moment. */
    record RunStatusChanged(Run run) implements RunEvent {
        public RunStatus status() {
            return run.status();
        }
    }

    record StepCreated(RunStep step) implements RunEvent {}

    /** A step ended: its status says whether it completed, failed, was cancelled or expired. */
    record StepCompleted(RunStep step) implements RunEvent {}

    record MessageCreated(String messageId, String threadId, String runId) implements RunEvent {}

    /** A message is finished (or cut short): its full text and annotations. */
    record MessageCompleted(Message message) implements RunEvent {}

    /** The assistant started writing a text part of a message (the original module's {@code start}). */
    record TextCreated(String messageId, int contentIndex) implements RunEvent {}

    /** A fragment of text (the original module's {@code chunk}); annotations that arrived with it. */
    record TextDelta(String messageId, int contentIndex, String text, List<Annotation> annotations)
            implements RunEvent {
        public TextDelta {
            annotations = annotations == null ? List.of() : List.copyOf(annotations);
        }
    }

    /** The assistant called a tool (the original module's {@code tool_call}); name set for functions. */
    record ToolCallCreated(String stepId, String toolCallId, ToolType toolType, String functionName)
            implements RunEvent {}

    /** A fragment of the code a code-interpreter call runs (the original {@code code_input}). */
    record CodeInputDelta(String stepId, String toolCallId, String fragment) implements RunEvent {}

    /** An output of a code-interpreter call: logs or an image (the original {@code code_output}). */
    record CodeOutputAdded(String stepId, String toolCallId, CodeOutput output) implements RunEvent {}

    /** A fragment of a function call's JSON arguments; {@code name} is set on the first fragment. */
    record FunctionArgumentsDelta(String stepId, String toolCallId, String name, String fragment)
            implements RunEvent {}

    /** A file-search call and the results it found so far (often none until the step completes). */
    record FileSearchCalled(String stepId, String toolCallId, List<FileSearchResult> results) implements RunEvent {
        public FileSearchCalled {
            results = results == null ? List.of() : List.copyOf(results);
        }
    }

    /** The run waits for the client's outputs of these function calls (complete arguments). */
    record RequiresAction(String threadId, String runId, List<RequiredToolCall> toolCalls) implements RunEvent {
        public RequiresAction {
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /** Tokens consumed, reported when the provider knows them (usually at the end of the run). */
    record UsageReported(String runId, Usage usage) implements RunEvent {}

    /**
     * The last event of every well-formed stream. {@code finalStatus} is where the run stands:
     * terminal, or {@link RunStatus#REQUIRES_ACTION} when it waits for tool outputs.
     */
    record StreamEnded(String threadId, String runId, RunStatus finalStatus, Usage usage) implements RunEvent {}
}
