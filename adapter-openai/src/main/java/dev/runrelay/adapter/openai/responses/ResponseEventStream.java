package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import dev.runrelay.adapter.openai.PlainJson;
import dev.runrelay.adapter.openai.transport.SseStreams;
import reactor.core.publisher.Flux;

/**
 * One Responses SSE stream as a Flux, read on the connection's event loop ({@link SseStreams}): the SDK
 * still builds the request and fails with its typed exceptions for HTTP errors, but the body is split
 * into events once, a text delta (nearly every event of a run) is parsed in one streaming pass, and every
 * other event is bound once into a {@link ResponseEvent} by a plain Jackson mapper (ADR 0031).
 * openai-java's own stream reading parses each event's JSON two and a half times (a tree for its error
 * check, a tree for the event, then the tree into the model through Kotlin reflection), which was most
 * of the adapter's CPU under load.
 *
 * <p>The failures stay openai-java's: a top-level {@code error} member fails with {@link SseException},
 * unreadable JSON with {@link OpenAIInvalidDataException}, a broken connection with
 * {@link com.openai.errors.OpenAIIoException}.
 */
final class ResponseEventStream {

    private static final JsonFactory JSON = PlainJson.MAPPER.getFactory();
    private static final ObjectReader EVENT_READER = PlainJson.MAPPER.readerFor(ResponseEvent.class);
    /**
     * The event types whose members the mapping reads: one of these whose members do not have the shape
     * they must have is unreadable. An event of any other type only needs its type and sequence number,
     * as openai-java keeps an event it cannot bind without failing.
     */
    private static final Set<String> MAPPED_TYPES = Set.of("response.created", "response.queued",
            "response.in_progress", "response.completed", "response.failed", "response.incomplete",
            "response.cancelled", "response.output_item.added", "response.output_item.done", ResponseEvent.TEXT_DELTA,
            "response.output_text.annotation.added", "response.code_interpreter_call_code.delta",
            "response.function_call_arguments.delta", "response.file_search_call.searching",
            "response.refusal.delta", "error");

    private ResponseEventStream() {}

    /** The events of the stream {@code open} starts; cancelling closes the connection at once. */
    static <R extends HttpResponseFor<?>> Flux<ResponseEvent> events(Supplier<? extends CompletableFuture<R>> open) {
        return SseStreams.events(open, (event, response) -> parse(event.dataUtf8(), response));
    }

    /** {@link #parse(byte[], HttpResponse)} of text. */
    static ResponseEvent parse(String data, HttpResponse response) {
        return parse(data.getBytes(StandardCharsets.UTF_8), response);
    }

    /**
     * One event's {@code data}, read from its UTF-8 bytes as they came off the wire (no text decoded first): a plain
     * text delta in one pass, anything else bound once.
     *
     * @param response the HTTP response it came in, for the status and headers of an {@link SseException}
     */
    static ResponseEvent parse(byte[] data, HttpResponse response) {
        ResponseEvent delta = textDelta(data);
        return delta != null ? delta : bound(data, response);
    }

    /**
     * A {@code response.output_text.delta} with only scalar members (and empty {@code logprobs}), or
     * null for anything else, which is then bound whole.
     */
    private static ResponseEvent textDelta(byte[] data) {
        String itemId = null;
        String delta = null;
        long sequence = -1;
        long outputIndex = -1;
        long contentIndex = -1;
        boolean typed = false;
        try (JsonParser parser = JSON.createParser(data)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (name) {
                    case "type" -> {
                        if (value != JsonToken.VALUE_STRING || !ResponseEvent.TEXT_DELTA.equals(parser.getText())) {
                            return null;
                        }
                        typed = true;
                    }
                    case "item_id" -> itemId = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "delta" -> delta = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "sequence_number" -> sequence = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "output_index" -> outputIndex = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "content_index" -> contentIndex = value == JsonToken.VALUE_NUMBER_INT ? parser.getLongValue() : -1;
                    case "logprobs" -> {
                        if (value != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.END_ARRAY) {
                            return null;
                        }
                    }
                    default -> {
                        // "error" (the SDK's error check) or any member that is not a plain scalar.
                        if ("error".equals(name) || value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                            return null;
                        }
                    }
                }
            }
            if (token != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return null;
            }
        } catch (IOException | RuntimeException e) {
            return null; // the binding below reports it as openai-java would
        }
        if (!typed || itemId == null || delta == null || sequence < 0 || outputIndex < 0 || contentIndex < 0) {
            return null;
        }
        return ResponseEvent.textDelta(itemId, contentIndex, delta, sequence);
    }

    /**
     * What openai-java's SSE handler does with one event, in one binding: a top-level {@code error} member
     * (even a null one) fails as its {@link SseException}, JSON that is not readable as its
     * {@link OpenAIInvalidDataException}; anything else is the event.
     */
    private static ResponseEvent bound(byte[] data, HttpResponse response) {
        ResponseEvent event;
        try {
            event = EVENT_READER.readValue(data);
        } catch (MismatchedInputException shape) {
            return loose(data, shape, response);
        } catch (IOException | RuntimeException e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
        if (event == null) {
            // JSON null: openai-java has no event to check or bind either.
            throw new OpenAIInvalidDataException("Error reading response");
        }
        if (event.error() != null) {
            throw SseStreams.errorEvent(event.error(), response);
        }
        return event;
    }

    /**
     * Readable JSON that does not bind: not an object (openai-java keeps it as an event without a type), or
     * a member of another shape than the mapping reads: an event
     * of a type the mapping reads is unreadable; any other (an event type added after this adapter) keeps
     * only its type and sequence number, which is all the mapping looks at before skipping it.
     */
    private static ResponseEvent loose(byte[] data, MismatchedInputException shape, HttpResponse response) {
        JsonNode tree;
        try {
            tree = PlainJson.MAPPER.readTree(data);
        } catch (IOException e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            throw new OpenAIInvalidDataException("Error reading response", shape);
        }
        if (!tree.isObject()) {
            return new ResponseEvent("?", -1, null, -1, null, null, null, null, null, null, null); // openai-java's too: no type
        }
        if (tree.has("error")) {
            throw SseStreams.errorEvent(tree.get("error"), response);
        }
        JsonNode type = tree.get("type");
        if (type == null || !type.isTextual() || MAPPED_TYPES.contains(type.textValue())) {
            throw new OpenAIInvalidDataException("Error reading response", shape);
        }
        JsonNode sequence = tree.get("sequence_number");
        return new ResponseEvent(type.textValue(), sequence != null && sequence.canConvertToLong() ? sequence.longValue() : -1,
                null, -1, null, null, null, null, null, null, null);
    }
}
