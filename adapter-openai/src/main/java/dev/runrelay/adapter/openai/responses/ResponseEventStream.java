package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.openai.core.JsonField;
import com.openai.core.JsonMissing;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.core.http.HttpResponseFor;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import com.openai.models.ErrorObject;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextDeltaEvent;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private static final JsonValue TEXT_DELTA_TYPE = JsonValue.from(TEXT_DELTA);
    private static final JsonField<List<ResponseTextDeltaEvent.Logprob>> NO_LOGPROBS = JsonField.of(List.of());
    // Package-private for the test that checks this SDK version still has it.
    static final MethodHandle TEXT_DELTA_CONSTRUCTOR = textDeltaConstructor();

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
        return ResponseStreamEvent.ofOutputTextDelta(textDeltaEvent(itemId, delta, sequence, outputIndex, contentIndex));
    }

    /**
     * The SDK's text delta with these values, equal to what its builder makes. Not through the builder:
     * every {@code ResponseTextDeltaEvent.Builder} starts by converting its {@code type} constant with
     * {@code ObjectMapper.convertValue} (Jackson's whole conversion machinery, per delta), which was the
     * largest single cost of the fast path in the profile. The constructor the builder calls is public
     * in the bytecode (Kotlin's synthetic accessor), so it is called directly with the constant made once;
     * if a later SDK changes it, the builder is used again.
     */
    static ResponseTextDeltaEvent textDeltaEvent(String itemId, String delta, long sequence, long outputIndex,
            long contentIndex) {
        if (TEXT_DELTA_CONSTRUCTOR != null) {
            try {
                return (ResponseTextDeltaEvent) TEXT_DELTA_CONSTRUCTOR.invokeExact(
                        (JsonField<?>) JsonField.of(contentIndex), (JsonField<?>) JsonField.of(delta),
                        (JsonField<?>) JsonField.of(itemId), (JsonField<?>) NO_LOGPROBS,
                        (JsonField<?>) JsonField.of(outputIndex), (JsonField<?>) JsonField.of(sequence),
                        TEXT_DELTA_TYPE, (Map<?, ?>) new LinkedHashMap<String, JsonValue>(2));
            } catch (Throwable e) {
                throw new IllegalStateException("openai-java's ResponseTextDeltaEvent constructor failed", e);
            }
        }
        return ResponseTextDeltaEvent.builder()
                .itemId(itemId)
                .delta(delta)
                .sequenceNumber(sequence)
                .outputIndex(outputIndex)
                .contentIndex(contentIndex)
                .logprobs(List.of())
                .build();
    }

    private static MethodHandle textDeltaConstructor() {
        try {
            Class<?> marker = Class.forName("kotlin.jvm.internal.DefaultConstructorMarker");
            MethodHandle constructor = MethodHandles.publicLookup().findConstructor(ResponseTextDeltaEvent.class,
                    MethodType.methodType(void.class, JsonField.class, JsonField.class, JsonField.class,
                            JsonField.class, JsonField.class, JsonField.class, JsonValue.class, Map.class, marker));
            return MethodHandles.insertArguments(constructor, 8, (Object) null)
                    .asType(MethodType.methodType(ResponseTextDeltaEvent.class, JsonField.class, JsonField.class,
                            JsonField.class, JsonField.class, JsonField.class, JsonField.class, JsonValue.class,
                            Map.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * What openai-java's SSE handler does with one event: error check, then its model. An object without a
     * top-level {@code error} member (every event but a failure) is bound straight from its text: the
     * check is a token scan that skips the members' values, so no tree is built just to look for the
     * member and then copied into the model (the SDK's deserializer builds its own). Anything else takes
     * the SDK handler's path as it is.
     */
    private static ResponseStreamEvent bySdk(String data, HttpResponse response) {
        if (isObjectWithoutError(data)) {
            try {
                return MAPPER.readValue(data, ResponseStreamEvent.class);
            } catch (Exception e) {
                throw new OpenAIInvalidDataException("Error reading response", e);
            }
        }
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
            return false; // unreadable: the tree path reports it as openai-java would
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
