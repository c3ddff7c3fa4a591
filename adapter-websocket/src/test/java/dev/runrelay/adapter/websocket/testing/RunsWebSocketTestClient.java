package dev.runrelay.adapter.websocket.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real WebSocket client (the JDK's) for the RunRelay protocol, with the assertions every streamed
 * test makes. Shared through the adapter-websocket test-jar, e.g. by bootstrap's end-to-end tests.
 *
 * <pre>{@code
 * try (var client = RunsWebSocketTestClient.connect(uri)) {
 *     client.send("{\"type\":\"run\",\"requestId\":\"r1\",\"assistantId\":\"asst_1\",\"input\":\"Hi\"}");
 *     List<JsonNode> frames = client.stream("r1");          // every frame of r1, up to its end
 *     RunsWebSocketTestClient.assertWellFormedStream(frames); // seq 1..n, no gap, end last
 * }
 * }</pre>
 *
 * Not thread-safe for concurrent awaits of the same frame; each await takes the first matching frame
 * not taken before.
 *
 * <p>Every frame sent with {@link #send} and every frame received is checked against the protocol's
 * AsyncAPI document (docs/asyncapi.yaml, {@link AsyncApiFrameValidator}): {@code send} throws at once
 * for a frame that does not conform, and a received frame that does not conform fails the next await
 * and {@link #close()}. Tests of bad input send their deliberately wrong frames with
 * {@link #sendNonConforming}.
 */
public final class RunsWebSocketTestClient implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final AsyncApiFrameValidator PROTOCOL = AsyncApiFrameValidator.runsProtocol();

    private final List<JsonNode> frames = new ArrayList<>();
    private final List<Boolean> taken = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    /** Received frames that do not match docs/asyncapi.yaml, with what is wrong with them. */
    private final List<String> nonConforming = new ArrayList<>();
    private volatile WebSocket socket;
    private volatile boolean paused;
    private boolean requestOwed;
    private volatile long pings;

    private RunsWebSocketTestClient() {}

    /** Connects to {@code uri} (e.g. {@code ws://127.0.0.1:8080/ws/runs}). */
    public static RunsWebSocketTestClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** Connects with extra handshake headers, e.g. {@code Origin} or {@code Authorization}. */
    public static RunsWebSocketTestClient connect(URI uri, Map<String, String> headers) {
        var client = new RunsWebSocketTestClient();
        try {
            client.socket = builder(headers).buildAsync(uri, client.listener()).get(10, TimeUnit.SECONDS);
            return client;
        } catch (Exception e) {
            throw new IllegalStateException("WebSocket handshake with " + uri + " failed", e);
        }
    }

    /**
     * The HTTP status with which the server answers a handshake: 101 when it upgrades (the socket is
     * closed again at once), otherwise its refusal, e.g. 401 or 403.
     */
    public static int handshakeStatus(URI uri, Map<String, String> headers) {
        try {
            WebSocket socket = builder(headers).buildAsync(uri, new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            socket.abort();
            return 101;
        } catch (Exception e) {
            Throwable cause = e.getCause() instanceof CompletionException ? e.getCause().getCause() : e.getCause();
            if (cause instanceof WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw new IllegalStateException("WebSocket handshake with " + uri + " failed", e);
        }
    }

    private static WebSocket.Builder builder(Map<String, String> headers) {
        WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        return builder;
    }

    /** Sends one text frame, which must be a client frame of docs/asyncapi.yaml (else AssertionError). */
    public RunsWebSocketTestClient send(String text) {
        PROTOCOL.assertValid(AsyncApiFrameValidator.Direction.CLIENT, text);
        return sendUnchecked(text);
    }

    /**
     * Sends one text frame that must NOT be a client frame of docs/asyncapi.yaml (else AssertionError):
     * for tests of how the server answers bad input, so that what the server refuses and what the
     * document rejects stay the same.
     */
    public RunsWebSocketTestClient sendNonConforming(String text) {
        if (PROTOCOL.problems(AsyncApiFrameValidator.Direction.CLIENT, text).isEmpty()) {
            throw new AssertionError("docs/asyncapi.yaml accepts this frame the test sends as bad input: " + text);
        }
        return sendUnchecked(text);
    }

    /** Sends one text frame without looking at it (e.g. generated junk that may or may not conform). */
    public RunsWebSocketTestClient sendUnchecked(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends one binary frame. */
    public RunsWebSocketTestClient sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
        return this;
    }

    /** Stops reading from the socket (the server's writes then back up); {@link #resumeReading()} reads on. */
    public void pauseReading() {
        paused = true;
    }

    public void resumeReading() {
        synchronized (this) {
            paused = false;
            if (!requestOwed) {
                return;
            }
            requestOwed = false;
        }
        socket.request(1);
    }

    /**
     * Every frame of the stream {@code requestId}, in arrival order, up to and including its {@code end}
     * (frames with a {@code seq}; a refusal of a request reusing the id has none and is not part of it).
     */
    public List<JsonNode> stream(String requestId) {
        return stream(requestId, DEFAULT_TIMEOUT);
    }

    public List<JsonNode> stream(String requestId, Duration timeout) {
        awaitFrame(frame -> requestId.equals(text(frame, "requestId")) && "end".equals(text(frame, "type")), timeout);
        synchronized (this) {
            var result = new ArrayList<JsonNode>();
            for (int i = 0; i < frames.size(); i++) {
                JsonNode frame = frames.get(i);
                if (requestId.equals(text(frame, "requestId")) && frame.has("seq")) {
                    taken.set(i, true);
                    result.add(frame);
                }
            }
            return result;
        }
    }

    /** The answer to a request that is not a stream: its {@code result}, {@code error} or {@code pong}. */
    public JsonNode reply(String requestId) {
        return awaitFrame(frame -> requestId.equals(text(frame, "requestId")), DEFAULT_TIMEOUT);
    }

    /** The first frame not taken before of the given {@code type} (e.g. {@code error} without requestId). */
    public JsonNode nextOfType(String type) {
        return awaitFrame(frame -> type.equals(text(frame, "type")), DEFAULT_TIMEOUT);
    }

    /** Waits for the first frame not taken before that matches, and takes it. */
    public synchronized JsonNode awaitFrame(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int scanned = 0; // frames only get appended, so each wake-up looks at the new ones only
        while (true) {
            assertConformingFrames();
            for (; scanned < frames.size(); scanned++) {
                if (!taken.get(scanned) && matching.test(frames.get(scanned))) {
                    taken.set(scanned, true);
                    return frames.get(scanned);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("No matching frame within " + timeout + "; received: " + frames);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
    }

    /** Every frame received so far. */
    public synchronized List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    /** How many pings the server sent (answered by the JDK with pongs). */
    public long pingsReceived() {
        return pings;
    }

    /** The close code the server sent, or -1 when the connection failed without one. */
    public CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    public boolean isOpen() {
        return !closeCode.isDone() && !socket.isInputClosed();
    }

    /**
     * Closes the socket like a browser tab would (close frame 1000), then fails if any frame received
     * did not match docs/asyncapi.yaml.
     */
    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        socket.abort();
        assertConformingFrames();
    }

    /** Fails when a frame received so far does not match docs/asyncapi.yaml. */
    public synchronized void assertConformingFrames() {
        if (!nonConforming.isEmpty()) {
            throw new AssertionError("The server sent frames that do not match docs/asyncapi.yaml:\n  "
                    + String.join("\n  ", nonConforming));
        }
    }

    /** Drops the TCP connection without a close frame. */
    public void abort() {
        socket.abort();
    }

    /** Asserts the frames of one stream: one requestId, seq 1, 2, 3, … without gap, exactly one end, last. */
    public static void assertWellFormedStream(List<JsonNode> stream) {
        assertThat(stream).as("frames of the stream").isNotEmpty();
        String requestId = text(stream.getFirst(), "requestId");
        for (int i = 0; i < stream.size(); i++) {
            JsonNode frame = stream.get(i);
            assertThat(text(frame, "requestId")).as("requestId of frame %s", frame).isEqualTo(requestId);
            assertThat(frame.path("seq").asLong(-1)).as("seq of frame %s", frame).isEqualTo(i + 1L);
        }
        assertThat(text(stream.getLast(), "type")).as("last frame").isEqualTo("end");
        assertThat(stream.stream().filter(frame -> "end".equals(text(frame, "type"))).count())
                .as("end frames").isEqualTo(1);
    }

    /** The {@code type} of each frame, in order. */
    public static List<String> types(List<JsonNode> stream) {
        return stream.stream().map(frame -> text(frame, "type")).toList();
    }

    public static String text(JsonNode frame, String field) {
        JsonNode value = frame.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }

    private WebSocket.Listener listener() {
        return new WebSocket.Listener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                webSocket.request(1);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    JsonNode frame = JSON.readTree(text);
                    partial.setLength(0);
                    List<String> problems = PROTOCOL.problems(AsyncApiFrameValidator.Direction.SERVER, frame);
                    synchronized (RunsWebSocketTestClient.this) {
                        if (!problems.isEmpty()) {
                            nonConforming.add(problems + " in " + text);
                        }
                        frames.add(frame);
                        taken.add(false);
                        RunsWebSocketTestClient.this.notifyAll();
                    }
                }
                requestNext(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
                pings++;
                requestNext(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
                requestNext(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                requestNext(webSocket);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closeCode.complete(statusCode);
                synchronized (RunsWebSocketTestClient.this) {
                    RunsWebSocketTestClient.this.notifyAll();
                }
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                closeCode.complete(-1);
            }
        };
    }

    private void requestNext(WebSocket webSocket) {
        synchronized (this) {
            if (paused) {
                requestOwed = true;
                return;
            }
        }
        webSocket.request(1);
    }
}
