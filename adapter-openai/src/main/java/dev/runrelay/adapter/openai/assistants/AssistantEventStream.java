package dev.runrelay.adapter.openai.assistants;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import com.openai.models.beta.threads.Thread;
import com.openai.models.beta.threads.messages.Message;
import com.openai.models.beta.threads.messages.MessageDeltaEvent;
import com.openai.models.beta.threads.runs.steps.RunStep;
import com.openai.models.beta.threads.runs.steps.RunStepDeltaEvent;
import dev.runrelay.adapter.openai.transport.SseEvent;
import dev.runrelay.adapter.openai.transport.SseStreams;
import dev.runrelay.domain.event.RunEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads one Assistants stream event into domain events, the hot ones in one pass: a
 * {@code thread.message.delta} of plain text parts and a {@code thread.run.step.delta} of function
 * argument fragments (nearly every event of a run) are read by one Jackson streaming parse and handed
 * to the {@link AssistantStreamMapper} as plain values. A run event's data ({@code thread.run.*}) is bound into
 * {@link RunJson} by a plain Jackson mapper; the other structural events ({@code thread.run.step.*},
 * {@code thread.message.*}) bind their {@code data} straight from its text into the openai-java type their
 * name says (ADR 0031); anything else (and any event that does not bind that
 * way) is bound to openai-java's {@link AssistantStreamEvent} exactly as its SSE handler does: a top-level
 * {@code error} member fails with {@link SseException}, unreadable JSON with {@link OpenAIInvalidDataException}.
 */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class AssistantEventStream {

    static final String MESSAGE_DELTA = "thread.message.delta";
    static final String STEP_DELTA = "thread.run.step.delta";

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();
    /** The events that carry a run: bound into {@link RunJson}, not openai-java's {@code Run}. */
    private static final Set<String> RUN_EVENTS = Set.of("thread.run.created", "thread.run.queued",
            "thread.run.in_progress", "thread.run.requires_action", "thread.run.completed", "thread.run.incomplete",
            "thread.run.failed", "thread.run.cancelling", "thread.run.cancelled", "thread.run.expired");

    /** One plain text fragment of a message delta. */
    record TextFragment(int index, String text) {}

    /** One function-call fragment of a step delta; id and name may be null, arguments never. */
    record FunctionFragment(long index, String id, String name, String arguments) {}

    private AssistantEventStream() {}

    /** The domain events of one SSE event of the stream {@code mapper} follows. */
    static List<RunEvent> map(SseEvent event, HttpResponse response, AssistantStreamMapper mapper) {
        if (MESSAGE_DELTA.equals(event.event())) {
            List<RunEvent> fast = textDelta(event.dataUtf8(), mapper);
            if (fast != null) {
                return fast;
            }
        } else if (STEP_DELTA.equals(event.event())) {
            List<RunEvent> fast = functionDelta(event.dataUtf8(), mapper);
            if (fast != null) {
                return fast;
            }
        }
        return structural(event, response, mapper);
    }

    /**
     * Any other event: a run event bound into {@link RunJson}, a step or message event straight into its
     * openai-java type, the rest as openai-java's SSE handler reads it. (Its own method: {@link #map} runs for
     * every delta and keeps the size it had before these cases.)
     */
    private static List<RunEvent> structural(SseEvent event, HttpResponse response, AssistantStreamMapper mapper) {
        if (event.event() != null && RUN_EVENTS.contains(event.event())) {
            RunJson run = runJson(event.data());
            if (run != null) {
                return mapper.runChanged(run);
            }
        }
        AssistantStreamEvent direct = direct(event.event(), event.data());
        return mapper.map(direct != null ? direct : bySdk(event, response));
    }

    /**
     * A structural event with its {@code data} bound straight from the text into the openai-java type its
     * name says, or null to take the SDK handler's path (no name, a top-level {@code error} member,
     * unreadable JSON, data that does not bind, an event type without a case here). openai-java's own
     * reading wraps the data in a tree, copies that tree into its {@code JsonValue}, then binds the copy
     * through the union of all event types: three passes over every run snapshot before this one.
     */
    static AssistantStreamEvent direct(String name, String data) {
        if (name == null || !name.startsWith("thread.") || !isObjectWithoutError(data)) {
            return null;
        }
        try {
            return switch (name) {
                case "thread.created" -> AssistantStreamEvent.ofThreadCreated(
                        AssistantStreamEvent.ThreadCreated.builder().data(MAPPER.readValue(data, Thread.class)).build());
                case "thread.run.step.created" -> AssistantStreamEvent.ofThreadRunStepCreated(
                        AssistantStreamEvent.ThreadRunStepCreated.builder().data(step(data)).build());
                case "thread.run.step.in_progress" -> AssistantStreamEvent.ofThreadRunStepInProgress(
                        AssistantStreamEvent.ThreadRunStepInProgress.builder().data(step(data)).build());
                case "thread.run.step.delta" -> AssistantStreamEvent.ofThreadRunStepDelta(
                        AssistantStreamEvent.ThreadRunStepDelta.builder()
                                .data(MAPPER.readValue(data, RunStepDeltaEvent.class)).build());
                case "thread.run.step.completed" -> AssistantStreamEvent.ofThreadRunStepCompleted(
                        AssistantStreamEvent.ThreadRunStepCompleted.builder().data(step(data)).build());
                case "thread.run.step.failed" -> AssistantStreamEvent.ofThreadRunStepFailed(
                        AssistantStreamEvent.ThreadRunStepFailed.builder().data(step(data)).build());
                case "thread.run.step.cancelled" -> AssistantStreamEvent.ofThreadRunStepCancelled(
                        AssistantStreamEvent.ThreadRunStepCancelled.builder().data(step(data)).build());
                case "thread.run.step.expired" -> AssistantStreamEvent.ofThreadRunStepExpired(
                        AssistantStreamEvent.ThreadRunStepExpired.builder().data(step(data)).build());
                case "thread.message.created" -> AssistantStreamEvent.ofThreadMessageCreated(
                        AssistantStreamEvent.ThreadMessageCreated.builder().data(message(data)).build());
                case "thread.message.in_progress" -> AssistantStreamEvent.ofThreadMessageInProgress(
                        AssistantStreamEvent.ThreadMessageInProgress.builder().data(message(data)).build());
                case MESSAGE_DELTA -> AssistantStreamEvent.ofThreadMessageDelta(
                        AssistantStreamEvent.ThreadMessageDelta.builder()
                                .data(MAPPER.readValue(data, MessageDeltaEvent.class)).build());
                case "thread.message.completed" -> AssistantStreamEvent.ofThreadMessageCompleted(
                        AssistantStreamEvent.ThreadMessageCompleted.builder().data(message(data)).build());
                case "thread.message.incomplete" -> AssistantStreamEvent.ofThreadMessageIncomplete(
                        AssistantStreamEvent.ThreadMessageIncomplete.builder().data(message(data)).build());
                default -> null;
            };
        } catch (IOException | RuntimeException e) {
            return null; // the SDK handler's path reads it as openai-java would (an unknown event, or its failure)
        }
    }

    /**
     * The run of a {@code thread.run.*} event bound from its text into {@link RunJson}, or null to take the
     * SDK handler's path (an {@code error} member, unreadable JSON, members of another shape).
     */
    static RunJson runJson(String data) {
        if (!isObjectWithoutError(data)) {
            return null;
        }
        try {
            return RunJson.read(data);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static RunStep step(String data) throws IOException {
        return MAPPER.readValue(data, RunStep.class);
    }

    private static Message message(String data) throws IOException {
        return MAPPER.readValue(data, Message.class);
    }

    /** A well-formed JSON object with no top-level {@code error} member (not even a null one). */
    static boolean isObjectWithoutError(String data) {
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                if ("error".equals(parser.currentName())) {
                    return false;
                }
                parser.nextToken();
                parser.skipChildren();
            }
            return token == JsonToken.END_OBJECT && parser.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false; // unreadable: the SDK handler's path reports it as openai-java would
        }
    }

    /** {@code {"id", "object", "delta": {"content": [{"index", "type": "text", "text": {"value", "annotations": []}}]}}}, or null. */
    private static List<RunEvent> textDelta(byte[] data, AssistantStreamMapper mapper) {
        Delta<TextFragment> delta = delta(data, MESSAGE_DELTA, AssistantEventStream::textContent);
        return delta == null ? null : mapper.textDelta(delta.id(), delta.fragments());
    }

    /** What a delta event's envelope holds: its object's id and the fragments its {@code delta} carried. */
    private record Delta<F>(String id, List<F> fragments) {}

    /** Reads what is inside a {@code delta} object, the parser on its START_OBJECT; null when it is not plain. */
    @FunctionalInterface
    private interface DeltaReader<F> {
        List<F> read(JsonParser parser) throws IOException;
    }

    /**
     * The envelope both fast paths share, {@code {"id", "object": objectType, "delta": {...}}} and nothing
     * else, read in one streaming pass from the data's UTF-8 bytes; null for anything else, which then goes through
     * the SDK.
     */
    private static <F> Delta<F> delta(byte[] data, String objectType, DeltaReader<F> inner) {
        String id = null;
        List<F> fragments = null;
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "object" -> {
                        if (value != JsonToken.VALUE_STRING || !objectType.equals(parser.getText())) {
                            return null;
                        }
                    }
                    case "delta" -> {
                        fragments = value == JsonToken.START_OBJECT ? inner.read(parser) : null;
                        if (fragments == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null; // the SDK's mapper reports it as openai-java would
        }
        return id == null || fragments == null ? null : new Delta<>(id, fragments);
    }

    /** Inside {@code delta}: only {@code content}, a list of plain text parts. */
    private static List<TextFragment> textContent(JsonParser parser) throws IOException {
        List<TextFragment> fragments = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (!"content".equals(parser.currentName()) || parser.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            fragments = new ArrayList<>(1);
            while (parser.nextToken() == JsonToken.START_OBJECT) {
                long index = -1;
                String type = null;
                String text = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    switch (name) {
                        case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                        case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                        case "text" -> {
                            if (value != JsonToken.START_OBJECT) {
                                return null;
                            }
                            text = textValue(parser);
                            if (text == null) {
                                return null;
                            }
                        }
                        default -> {
                            return null;
                        }
                    }
                }
                if (index < 0 || index > Integer.MAX_VALUE || !"text".equals(type) || text == null) {
                    return null;
                }
                fragments.add(new TextFragment((int) index, text));
            }
            if (parser.currentToken() != JsonToken.END_ARRAY) {
                return null;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? fragments : null;
    }

    /** Inside {@code text}: {@code value} and, if present, empty {@code annotations}. */
    private static String textValue(JsonParser parser) throws IOException {
        String value = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken token = parser.nextToken();
            switch (name) {
                case "value" -> {
                    if (token != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    value = parser.getText();
                }
                case "annotations" -> {
                    if (token != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.END_ARRAY) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        return value;
    }

    /**
     * {@code {"id", "object", "delta": {"step_details": {"type": "tool_calls", "tool_calls":
     * [{"index", "id"?, "type": "function", "function": {"name"?, "arguments"?, "output": null?}}]}}}}, or null.
     */
    private static List<RunEvent> functionDelta(byte[] data, AssistantStreamMapper mapper) {
        Delta<FunctionFragment> delta = delta(data, STEP_DELTA, AssistantEventStream::stepDetails);
        return delta == null ? null : mapper.functionArgumentsDelta(delta.id(), delta.fragments());
    }

    /** Inside {@code delta}: only {@code step_details} of type tool_calls with function calls. */
    private static List<FunctionFragment> stepDetails(JsonParser parser) throws IOException {
        List<FunctionFragment> fragments = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            if (!"step_details".equals(parser.currentName()) || parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            boolean toolCalls = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "type" -> {
                        if (value != JsonToken.VALUE_STRING || !"tool_calls".equals(parser.getText())) {
                            return null;
                        }
                        toolCalls = true;
                    }
                    case "tool_calls" -> {
                        if (value != JsonToken.START_ARRAY) {
                            return null;
                        }
                        fragments = functionCalls(parser);
                        if (fragments == null) {
                            return null;
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (!toolCalls) {
                return null;
            }
        }
        return parser.currentToken() == JsonToken.END_OBJECT ? fragments : null;
    }

    private static List<FunctionFragment> functionCalls(JsonParser parser) throws IOException {
        List<FunctionFragment> fragments = new ArrayList<>(1);
        while (parser.nextToken() == JsonToken.START_OBJECT) {
            long index = -1;
            String id = null;
            String type = null;
            String name = null;
            String arguments = null;
            boolean function = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String member = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (member) {
                    case "index" -> index = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "id" -> id = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "type" -> type = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "function" -> {
                        if (value != JsonToken.START_OBJECT) {
                            return null;
                        }
                        function = true;
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String field = parser.currentName();
                            JsonToken token = parser.nextToken();
                            switch (field) {
                                case "name" -> name = token == JsonToken.VALUE_STRING ? parser.getText() : null;
                                case "arguments" -> {
                                    if (token != JsonToken.VALUE_STRING) {
                                        return null;
                                    }
                                    arguments = parser.getText();
                                }
                                case "output" -> {
                                    if (token != JsonToken.VALUE_NULL) {
                                        return null;
                                    }
                                }
                                default -> {
                                    return null;
                                }
                            }
                        }
                    }
                    default -> {
                        return null;
                    }
                }
            }
            if (index < 0 || !"function".equals(type) || !function) {
                return null;
            }
            fragments.add(new FunctionFragment(index, id, name, arguments == null ? "" : arguments));
        }
        return parser.currentToken() == JsonToken.END_ARRAY ? fragments : null;
    }

    /** What openai-java's SSE handler does with one event: error check, then {@code {"event", "data"}} into its model. */
    static AssistantStreamEvent bySdk(SseEvent event, HttpResponse response) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(event.data());
        } catch (Exception e) {
            tree = null; // as openai-java: unreadable data fails below, when bound to the model
        }
        JsonNode error = tree == null ? null : tree.get("error");
        if (error != null) {
            throw SseStreams.errorEvent(error, response);
        }
        if (tree == null) {
            throw new OpenAIInvalidDataException("Error reading response");
        }
        ObjectNode wrapped = MAPPER.createObjectNode();
        if (event.event() != null) {
            wrapped.put("event", event.event());
        }
        wrapped.set("data", tree);
        try {
            return MAPPER.readerFor(AssistantStreamEvent.class).readValue(wrapped);
        } catch (Exception e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
    }
}
