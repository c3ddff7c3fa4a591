package dev.runrelay.adapter.openai.transport;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.openai.core.JsonField;
import com.openai.core.JsonMissing;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.SseException;
import com.openai.models.ErrorObject;
import dev.runrelay.bridge.StreamContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A streamed request of openai-java as a Flux of decoded server-sent events, read on the connection's
 * event loop: the one place both OpenAI providers turn a {@link StreamingBody} into events.
 */
public final class SseStreams {

    private static final ObjectReader ERROR_OBJECT =
            ObjectMappers.jsonMapper().readerFor(new TypeReference<JsonField<ErrorObject>>() {});

    private SseStreams() {}

    /**
     * The events of the response {@code open} starts, each turned into a value by {@code parse}
     * (given the response, for its status and headers), up to {@code data: [DONE]} or the end of the
     * body. openai-java's typed exceptions pass through: an HTTP error status fails before any event.
     * Cancelling cancels the request or closes the connection at once.
     */
    public static <R extends HttpResponse, T> Flux<T> events(
            Supplier<? extends CompletableFuture<R>> open, BiFunction<SseEvent, R, T> parse) {
        return Mono.fromFuture(open)
                .onErrorMap(CompletionException.class, e -> e.getCause() != null ? e.getCause() : e)
                // No doFinally(close): the body ends with the exchange, and cancelling it (also map's, when parse
                // fails) drops the connection.
                .flatMapMany(response -> events(response).map(event -> parse.apply(event, response)));
    }

    /** The events of an already open streamed response. */
    public static Flux<SseEvent> events(HttpResponse response) {
        StreamingBody body = StreamingBody.of(response);
        if (body == null) {
            response.close();
            return Flux.error(new OpenAIInvalidDataException(
                    "Expected a text/event-stream response, got status " + response.statusCode()));
        }
        // Decoded by the exchange as the bytes arrive, ending at [DONE] (docs/adr/0033). The request id in the log MDC
        // from the first operator on: the parse and the mapping below log with it.
        return StreamContext.inLogContext(body.events());
    }

    /**
     * The failure openai-java's SSE handler raises for an event with a top-level {@code error} member: an
     * {@link SseException} with the response's status and headers and the member read as its error object
     * (missing when it is not one). Both providers' event readers use it.
     */
    public static SseException errorEvent(JsonNode error, HttpResponse response) {
        return SseException.builder()
                .statusCode(response.statusCode())
                .headers(response.headers())
                .error(errorObject(error))
                .build();
    }

    private static JsonField<ErrorObject> errorObject(JsonNode error) {
        try {
            return ERROR_OBJECT.readValue(error);
        } catch (Exception e) {
            return JsonMissing.of();
        }
    }
}
