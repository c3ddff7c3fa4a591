package dev.runrelay.adapter.websocket;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Annotation;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.shared.Usage;
import dev.runrelay.domain.step.CodeOutput;
import java.util.List;

/**
 * The frames the server sends, one JSON object each (docs/protocol.md). Stream frames carry the
 * request id, the thread and run ids once known, and {@code seq} (1, 2, 3, … per stream). Null
 * fields are left out of the JSON.
 */
sealed interface ServerFrame {

    /** The wire value of {@code type}. */
    @JsonProperty("type")
    String type();

    /** The original module's {@code start}: the assistant started writing text. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record StartFrame(String requestId, String threadId, String runId, long seq, String message, String messageId)
            implements ServerFrame {
        static final String MESSAGE = "Assistant started generating text.";

        @Override
        public String type() {
            return "start";
        }
    }

    /** The original module's {@code chunk}: one text delta. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record ChunkFrame(String requestId, String threadId, String runId, long seq, String message, String messageId)
            implements ServerFrame {
        @Override
        public String type() {
            return "chunk";
        }
    }

    /** The original module's {@code tool_call}: {@code message} is the tool type. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record ToolCallFrame(
            String requestId, String threadId, String runId, long seq, String message, String toolCallId,
            String stepId, String name) implements ServerFrame {
        @Override
        public String type() {
            return "tool_call";
        }
    }

    /** The original module's {@code code_input}: a fragment of the code being run. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record CodeInputFrame(String requestId, String threadId, String runId, long seq, String message, String toolCallId)
            implements ServerFrame {
        @Override
        public String type() {
            return "code_input";
        }
    }

    /** The original module's {@code code_output}: logs in {@code message}, or an image in {@code imageFileId}. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record CodeOutputFrame(
            String requestId, String threadId, String runId, long seq, String message, String imageFileId,
            String toolCallId) implements ServerFrame {
        static CodeOutputFrame from(StreamIds ids, long seq, RunEvent.CodeOutputAdded event) {
            return switch (event.output()) {
                case CodeOutput.Logs logs -> new CodeOutputFrame(
                        ids.requestId(), ids.threadId(), ids.runId(), seq, logs.text(), null, event.toolCallId());
                case CodeOutput.Image image -> new CodeOutputFrame(
                        ids.requestId(), ids.threadId(), ids.runId(), seq, null, image.fileId(), event.toolCallId());
            };
        }

        @Override
        public String type() {
            return "code_output";
        }
    }

    /** The run moved to a new status; {@code lastError} is set when it failed. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record StatusFrame(String requestId, String threadId, String runId, long seq, String status, WireData.ErrorData lastError)
            implements ServerFrame {
        @Override
        public String type() {
            return "status";
        }
    }

    /** A fragment of a function call's JSON arguments; {@code name} on the first one. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record FunctionCallFrame(
            String requestId, String threadId, String runId, long seq, String toolCallId, String name,
            String arguments) implements ServerFrame {
        @Override
        public String type() {
            return "function_call";
        }
    }

    /** The tool calls the client must answer with {@code submit_tool_outputs}. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record RequiresActionFrame(String requestId, String threadId, String runId, long seq, List<ToolCallData> toolCalls)
            implements ServerFrame {
        record ToolCallData(String id, String name, String arguments) {
            static ToolCallData from(RequiredToolCall call) {
                return new ToolCallData(call.id(), call.functionName(), call.arguments());
            }
        }

        @Override
        public String type() {
            return "requires_action";
        }
    }

    /** The full text of a finished message with its annotations. */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record MessageDoneFrame(
            String requestId, String threadId, String runId, long seq, String messageId, String text,
            List<AnnotationData> annotations, boolean incomplete) implements ServerFrame {
        static MessageDoneFrame from(StreamIds ids, long seq, Message message) {
            return new MessageDoneFrame(ids.requestId(), ids.threadId(), ids.runId(), seq, message.id(),
                    message.text(), message.annotations().stream().map(AnnotationData::from).toList(),
                    message.incomplete());
        }

        record AnnotationData(String type, String text, String fileId, String quote, int startIndex, int endIndex) {
            static AnnotationData from(Annotation annotation) {
                return new AnnotationData(annotation.type().wireValue(), annotation.text(), annotation.fileId(),
                        annotation.quote(), annotation.startIndex(), annotation.endIndex());
            }
        }

        @Override
        public String type() {
            return "message_done";
        }
    }

    /**
     * The last frame of every stream. {@code status} is where the run stands (absent when the stream
     * failed before the run reported one); {@code error} repeats the code of the error frame before it.
     */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record EndFrame(
            String requestId, String threadId, String runId, long seq, String status, WireData.UsageData usage,
            String error) implements ServerFrame {
        @Override
        public String type() {
            return "end";
        }
    }

    /**
     * A failure. Inside a stream it has a {@code seq} and is followed by {@code end}; a refused
     * request gets it alone. {@code field} names the offending field of an {@code invalid_request}.
     */
    @JsonPropertyOrder({"type", "requestId", "threadId", "runId", "seq"})
    record ErrorFrame(
            String requestId, String threadId, String runId, Long seq, String code, String message, boolean retryable,
            String field, Long retryAfterMs) implements ServerFrame {
        ErrorFrame(String requestId, String threadId, String runId, Long seq, String code, String message,
                boolean retryable, String field) {
            this(requestId, threadId, runId, seq, code, message, retryable, field, null);
        }

        static ErrorFrame refused(String requestId, ErrorDescription error) {
            return new ErrorFrame(requestId, null, null, null, error.code(), error.message(), error.retryable(),
                    error.field(), error.retryAfterMs());
        }

        @Override
        public String type() {
            return "error";
        }
    }

    /** The answer to get_run, list_runs, update_run, list_steps, get_step and cancel. */
    @JsonPropertyOrder({"type", "requestId"})
    record ResultFrame(String requestId, Object data) implements ServerFrame {
        @Override
        public String type() {
            return "result";
        }
    }

    @JsonPropertyOrder({"type", "requestId"})
    record PongFrame(String requestId) implements ServerFrame {
        @Override
        public String type() {
            return "pong";
        }
    }

    /** The ids every stream frame carries, as known when the frame is made. */
    record StreamIds(String requestId, String threadId, String runId) {}

    /** What an error frame says: stable code, a sentence safe to show, and the field at fault if any. */
    record ErrorDescription(String code, String message, boolean retryable, String field, Long retryAfterMs) {
        ErrorDescription(String code, String message, boolean retryable, String field) {
            this(code, message, retryable, field, null);
        }
    }

    static WireData.UsageData usage(Usage usage) {
        return usage == null ? null : WireData.UsageData.from(usage);
    }
}
