package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link FakeResponsesServer} answers to one {@code POST /responses}: a stream of events (from a
 * fixture file or generated), or an HTTP error. Events without a {@code sequence_number} are numbered by
 * the server; a {@code "response": {}} field is filled with the response's snapshot at that moment.
 *
 * @param events the SSE events, each a JSON object with its {@code type}
 * @param delay pause before each event
 * @param dropAfter when set, the first delivery breaks the connection after this many events
 * @param dropEveryDelivery whether every delivery (resumes too) breaks after {@code dropAfter} events
 * @param errorStatus when positive, the request fails with this status and {@code errorBody}
 * @param headers extra response headers of the create request, e.g. {@code retry-after-ms} on a 429
 */
public record FakeResponsesScenario(
        List<ObjectNode> events,
        Duration delay,
        Integer dropAfter,
        boolean dropEveryDelivery,
        int errorStatus,
        String errorBody,
        Map<String, String> headers,
        int stallAfter,
        Duration stall,
        int malformedAt) {

    static final ObjectMapper JSON = new ObjectMapper();

    public FakeResponsesScenario {
        events = List.copyOf(events);
        delay = Objects.requireNonNullElse(delay, Duration.ZERO);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        stall = Objects.requireNonNullElse(stall, Duration.ZERO);
    }

    /** A scenario without stall or unreadable data. */
    public FakeResponsesScenario(List<ObjectNode> events, Duration delay, Integer dropAfter, boolean dropEveryDelivery,
            int errorStatus, String errorBody, Map<String, String> headers) {
        this(events, delay, dropAfter, dropEveryDelivery, errorStatus, errorBody, headers, -1, Duration.ZERO, -1);
    }

    /** The first delivery goes silent for {@code pause} after {@code count} events (the response goes on producing). */
    public FakeResponsesScenario stallingAfter(int count, Duration pause) {
        return new FakeResponsesScenario(events, delay, dropAfter, dropEveryDelivery, errorStatus, errorBody, headers,
                count, pause, malformedAt);
    }

    /** The first delivery sends an event whose data is not JSON after {@code count} events, then goes on. */
    public FakeResponsesScenario malformedAfter(int count) {
        return new FakeResponsesScenario(events, delay, dropAfter, dropEveryDelivery, errorStatus, errorBody, headers,
                stallAfter, stall, count);
    }

    /**
     * Reads {@code fixtures/responses/<name>} from the classpath: SSE blocks of {@code event:} and
     * {@code data:} lines separated by blank lines; lines starting with {@code #} are comments.
     */
    public static FakeResponsesScenario fixture(String name) {
        String path = "/fixtures/responses/" + name;
        try (InputStream in = FakeResponsesScenario.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            var events = new ArrayList<ObjectNode>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("data:")) {
                    events.add((ObjectNode) JSON.readTree(line.substring("data:".length()).trim()));
                }
            }
            return new FakeResponsesScenario(events, Duration.ZERO, null, false, 0, null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A text answer of {@code deltas} fragments ("w0 ", "w1 ", ...). */
    public static FakeResponsesScenario text(int deltas, Duration every) {
        var events = new ArrayList<ObjectNode>();
        events.add(event("response.created").set("response", JSON.createObjectNode()));
        events.add(event("response.in_progress").set("response", JSON.createObjectNode()));
        ObjectNode item = JSON.createObjectNode().put("id", "msg_fake").put("type", "message")
                .put("status", "in_progress").put("role", "assistant");
        item.putArray("content");
        events.add(event("response.output_item.added").put("output_index", 0).set("item", item.deepCopy()));
        ObjectNode part = JSON.createObjectNode().put("type", "output_text").put("text", "");
        part.putArray("annotations");
        events.add(textEvent("response.content_part.added").set("part", part.deepCopy()));
        var text = new StringBuilder();
        for (int i = 0; i < deltas; i++) {
            String fragment = "w" + i + " ";
            text.append(fragment);
            ObjectNode delta = textEvent("response.output_text.delta").put("delta", fragment);
            delta.putArray("logprobs");
            events.add(delta);
        }
        ObjectNode done = textEvent("response.output_text.done").put("text", text.toString());
        done.putArray("logprobs");
        events.add(done);
        part.put("text", text.toString());
        events.add(textEvent("response.content_part.done").set("part", part));
        item.put("status", "completed");
        item.withArray("content").add(part.deepCopy());
        events.add(event("response.output_item.done").put("output_index", 0).set("item", item));
        events.add(event("response.completed").set("response", JSON.createObjectNode()));
        return new FakeResponsesScenario(events, every, null, false, 0, null, null);
    }

    /** The request fails with {@code status} and an OpenAI error body. */
    public static FakeResponsesScenario error(int status, String type, String code, String message) {
        ObjectNode error = JSON.createObjectNode().put("message", message).put("type", type).putNull("param");
        if (code == null) {
            error.putNull("code");
        } else {
            error.put("code", code);
        }
        ObjectNode body = JSON.createObjectNode();
        body.set("error", error);
        return new FakeResponsesScenario(List.of(), Duration.ZERO, null, false, status, body.toString(), null);
    }

    /** Adds response headers to the create request's answer, e.g. {@code retry-after} or {@code retry-after-ms}. */
    public FakeResponsesScenario withHeaders(Map<String, String> extra) {
        var all = new LinkedHashMap<>(headers);
        all.putAll(extra);
        return new FakeResponsesScenario(events, delay, dropAfter, dropEveryDelivery, errorStatus, errorBody, all, stallAfter, stall, malformedAt);
    }

    public FakeResponsesScenario withDelay(Duration every) {
        return new FakeResponsesScenario(events, every, dropAfter, dropEveryDelivery, errorStatus, errorBody, headers, stallAfter, stall, malformedAt);
    }

    /** The first delivery breaks the connection (no clean end) after {@code count} events. */
    public FakeResponsesScenario droppingAfter(int count) {
        return new FakeResponsesScenario(events, delay, count, false, errorStatus, errorBody, headers, stallAfter, stall, malformedAt);
    }

    /** Every delivery, resumed ones too, breaks the connection after {@code count} events. */
    public FakeResponsesScenario droppingEveryDeliveryAfter(int count) {
        return new FakeResponsesScenario(events, delay, count, true, errorStatus, errorBody, headers, stallAfter, stall, malformedAt);
    }

    /** Inserts {@code event} (a JSON object) before event number {@code index}. */
    public FakeResponsesScenario inserting(int index, String eventJson) {
        try {
            var copy = new ArrayList<>(events);
            copy.add(index, (ObjectNode) JSON.readTree(eventJson));
            return new FakeResponsesScenario(copy, delay, dropAfter, dropEveryDelivery, errorStatus, errorBody, headers, stallAfter, stall, malformedAt);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode event(String type) {
        return JSON.createObjectNode().put("type", type);
    }

    private static ObjectNode textEvent(String type) {
        return event(type).put("item_id", "msg_fake").put("output_index", 0).put("content_index", 0);
    }
}
