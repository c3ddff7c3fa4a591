package dev.runrelay.adapter.openai.fake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

/**
 * What the fake answers to one request: a JSON body with a status, or a server-sent event stream
 * (frames in the exact wire format, sent one by one with a delay, ending with {@code done}, or cut
 * off, or stalled).
 */
public sealed interface FakeResponse {

    /** A JSON answer, e.g. a {@code thread.run} object or an error body. */
    record Json(int status, String body, Map<String, String> headers) implements FakeResponse {
        public Json {
            headers = Map.copyOf(headers);
        }
    }

    /**
     * A stream of SSE frames (each {@code event: ...\ndata: ...}, without the blank line).
     *
     * @param interval pause before each frame
     * @param dropAfter after this many frames the server breaks the connection (no {@code done}); -1 never
     * @param stallAfter after this many frames the server goes silent for {@code stall}; -1 never
     */
    record Sse(List<String> frames, Duration interval, int dropAfter, int stallAfter, Duration stall)
            implements FakeResponse {
        public Sse {
            frames = List.copyOf(frames);
            Objects.requireNonNull(interval, "interval");
            Objects.requireNonNull(stall, "stall");
        }

        public Sse every(Duration newInterval) {
            return new Sse(frames, newInterval, dropAfter, stallAfter, stall);
        }

        public Sse droppingAfter(int frameCount) {
            return new Sse(frames, interval, frameCount, stallAfter, stall);
        }

        public Sse stallingAfter(int frameCount, Duration pause) {
            return new Sse(frames, interval, dropAfter, frameCount, pause);
        }
    }

    /**
     * A list endpoint over {@code objects} (JSON objects with an {@code "id"}, oldest first), paged like
     * the real API from the request's {@code limit} (default 20), {@code order} (default {@code desc}),
     * {@code after} and {@code before}, with a truthful {@code has_more}.
     */
    record Listed(List<String> objects) implements FakeResponse {
        private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

        public Listed {
            objects = List.copyOf(objects);
        }

        /** The list object answering a request with these query parameters. */
        public String page(Map<String, String> query) {
            List<String> ordered = new ArrayList<>(objects);
            if (!"asc".equals(query.getOrDefault("order", "desc"))) {
                Collections.reverse(ordered);
            }
            List<String> ids = ordered.stream().map(Listed::id).toList();
            int from = 0;
            int to = ordered.size();
            if (query.containsKey("after")) {
                from = ids.indexOf(query.get("after")) + 1;
                if (from == 0) {
                    from = to; // an unknown cursor: nothing after it
                }
            }
            if (query.containsKey("before")) {
                int before = ids.indexOf(query.get("before"));
                to = before < 0 ? from : Math.min(to, before);
            }
            from = Math.min(from, to);
            int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
            List<String> data = ordered.subList(from, Math.min(to, from + limit));
            boolean hasMore = to - from > limit;
            return AssistantsJson.list(data, data.isEmpty() ? null : id(data.getFirst()),
                    data.isEmpty() ? null : id(data.getLast()), hasMore);
        }

        private static String id(String object) {
            var matcher = ID.matcher(object);
            if (!matcher.find()) {
                throw new IllegalArgumentException("a listed object without an id: " + object);
            }
            return matcher.group(1);
        }
    }

    /** A stream made per request from its path and a sequence number, so each run gets its own ids. */
    record Generated(BiFunction<String, Long, Sse> generator) implements FakeResponse {}

    static Json json(int status, String body) {
        return new Json(status, body, Map.of());
    }

    static Json json(int status, String body, Map<String, String> headers) {
        return new Json(status, body, headers);
    }

    /** An OpenAI error body: {@code {"error": {"message", "type", "param", "code"}}}. */
    static Json error(int status, String type, String code, String message, Map<String, String> headers) {
        String body = """
                {"error": {"message": %s, "type": %s, "param": null, "code": %s}}"""
                .formatted(AssistantsJson.quote(message), AssistantsJson.quote(type),
                        code == null ? "null" : AssistantsJson.quote(code));
        return new Json(status, body, headers);
    }

    static Listed listed(List<String> objects) {
        return new Listed(objects);
    }

    static Sse sse(List<String> frames) {
        return new Sse(frames, Duration.ZERO, -1, -1, Duration.ZERO);
    }

    /** Frames from a fixture file under {@code fixtures/assistants/}: SSE text, frames separated by blank lines. */
    static Sse sseFixture(String name) {
        String path = "/fixtures/assistants/" + name;
        try (InputStream in = FakeResponse.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("\r\n", "\n");
            List<String> frames = new ArrayList<>();
            for (String block : text.split("\n\n+")) {
                String frame = block.strip();
                if (!frame.isEmpty() && !frame.lines().allMatch(line -> line.startsWith("#"))) {
                    // '#' lines are notes for the reader of the fixture, not part of the wire.
                    frames.add(String.join("\n", frame.lines().filter(line -> !line.startsWith("#")).toList()));
                }
            }
            return sse(frames);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
