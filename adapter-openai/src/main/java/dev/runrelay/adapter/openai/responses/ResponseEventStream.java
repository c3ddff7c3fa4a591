package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.JsonField;
import com.openai.core.JsonMissing;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import com.openai.models.ErrorObject;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextDeltaEvent;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import dev.runrelay.adapter.openai.transport.SseStreams;
import reactor.core.publisher.Flux;

/**
 * One Responses SSE stream as a Flux, read on the connection's event loop ({@link SseStreams}): the SDK
 * still builds the request and fails with its typed exceptions for HTTP errors, but the body is split
 * into events once and a text delta (nearly every event of a run) is parsed in one streaming pass.
 * openai-java's own stream reading parses each event's JSON two and a half times (a tree for its error
 * check, a tree for the event, then the tree into the model), which was most of the adapter's CPU under load.
 *
 * <p>Everything else keeps openai-java's semantics: its SSE decoding rules, a top-level {@code error}
 * member fails with {@link SseException}, unreadable JSON with {@link OpenAIInvalidDataException}, a
 * broken connection with {@link com.openai.errors.OpenAIIoException}; every event other than a plain
 * text delta is read by the SDK's mapper.
 */
final class ResponseEventStream {

    static final String TEXT_DELTA = "response.output_text.delta";

    private static final JsonFactory JSON = new JsonFactory();
    private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();

    private ResponseEventStream() {}

    /** The events of the stream {@code open} starts; cancelling closes the connection at once. */
    static <R extends HttpResponseFor<?>> Flux<ResponseStreamEvent> events(Supplier<? extends CompletableFuture<R>> open) {
        return SseStreams.events(open, (event, response) -> parse(event.data(), response));
    }

    /**
     * One event's {@code data}: a plain text delta in one pass, anything else as openai-java reads it.
     *
     * @param response the HTTP response it came in, for the status and headers of an {@link SseException}
     */
    static ResponseStreamEvent parse(String data, HttpResponse response) {
        ResponseStreamEvent delta = textDelta(data);
        return delta != null ? delta : bySdk(data, response);
    }

    /**
     * A {@code response.output_text.delta} with only scalar members (and empty {@code logprobs}), or
     * null for anything else, which then goes through the SDK's mapper.
     */
    private static ResponseStreamEvent textDelta(String data) {
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
                        if (value != JsonToken.VALUE_STRING || !TEXT_DELTA.equals(parser.getText())) {
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
            return null; // the SDK's mapper reports it as openai-java would
        }
        if (!typed || itemId == null || delta == null || sequence < 0 || outputIndex < 0 || contentIndex < 0) {
            return null;
        }
        return ResponseStreamEvent.ofOutputTextDelta(ResponseTextDeltaEvent.builder()
                .itemId(itemId)
                .delta(delta)
                .sequenceNumber(sequence)
                .outputIndex(outputIndex)
                .contentIndex(contentIndex)
                .logprobs(List.of())
                .build());
    }

    /** What openai-java's SSE handler does with one event: error check, then its model. */
    private static ResponseStreamEvent bySdk(String data, HttpResponse response) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(data);
        } catch (Exception e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
        JsonNode error = tree == null ? null : tree.get("error");
        if (error != null) {
            throw SseException.builder()
                    .statusCode(response.statusCode())
                    .headers(response.headers())
                    .error(errorObject(error))
                    .build();
        }
        try {
            return MAPPER.readerFor(ResponseStreamEvent.class).readValue(tree);
        } catch (Exception e) {
            throw new OpenAIInvalidDataException("Error reading response", e);
        }
    }

    private static JsonField<ErrorObject> errorObject(JsonNode error) {
        try {
            return MAPPER.readerFor(new TypeReference<JsonField<ErrorObject>>() {}).readValue(error);
        } catch (Exception e) {
            return JsonMissing.of();
        }
    }
}
