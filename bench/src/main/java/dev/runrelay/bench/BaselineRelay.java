package dev.runrelay.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A minimal relay with no SDK, no Spring and no domain mapping: WebSocket in, Assistants SSE from the
 * upstream parsed with Jackson, the same frames out (status, start, chunk, message_done, end, with seq).
 * It is the floor the app is compared with on this machine (what Netty + Jackson alone cost per event),
 * and it lets the load client be exercised without the app. Not a product: one run per socket.
 */
public final class BaselineRelay {

    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final HttpClient upstream;

    BaselineRelay(String upstreamBaseUrl) {
        this.upstream = HttpClient.create(ConnectionProvider.builder("upstream").maxConnections(100_000)
                        .pendingAcquireMaxCount(-1).build())
                .baseUrl(upstreamBaseUrl)
                .headers(h -> h.set("content-type", "application/json").set("OpenAI-Beta", "assistants=v2"));
    }

    public static void main(String[] argv) {
        Args args = new Args(argv);
        int port = args.integer("port", 8090);
        String upstreamUrl = args.string("upstream", "http://127.0.0.1:8091/v1");
        args.requireAllUsed();
        DisposableServer server = new BaselineRelay(upstreamUrl).start(port);
        System.out.printf("baseline relay on ws://127.0.0.1:%d/ws/runs, upstream %s%n", server.port(), upstreamUrl);
        server.onDispose().block();
    }

    DisposableServer start(int port) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.ws("/ws/runs", this::session)
                        .get("/actuator/health/readiness", (req, res) -> res.sendString(Mono.just("{\"status\":\"UP\"}"))))
                .bindNow();
    }

    private Mono<Void> session(WebsocketInbound in, WebsocketOutbound out) {
        Flux<String> frames = in.receive().asString().concatMap(text -> {
            JsonNode request = MAPPER.readTree(text);
            String requestId = request.path("requestId").asString();
            String body = MAPPER.createObjectNode()
                    .put("assistant_id", request.path("assistantId").asString())
                    .put("stream", true)
                    .set("thread", MAPPER.createObjectNode().set("messages", MAPPER.createArrayNode()
                            .add(MAPPER.createObjectNode().put("role", "user")
                                    .put("content", request.path("input").asString()))))
                    .toString();
            AtomicLong seq = new AtomicLong();
            boolean[] started = new boolean[1];
            return upstream.post().uri("/threads/runs")
                    .send((req, o) -> o.sendString(Mono.just(body)))
                    .responseContent()
                    .asString(StandardCharsets.UTF_8)
                    .concatMapIterable(new SseSplitter())
                    .concatMapIterable(event -> frames(event, requestId, seq, started));
        });
        return out.sendString(frames.doOnError(e -> System.err.println("relay stream failed: " + e))).then();
    }

    private static List<String> frames(String[] event, String requestId, AtomicLong seq, boolean[] started) {
        List<String> frames = new ArrayList<>(2);
        String name = event[0];
        if ("done".equals(name)) {
            frames.add(frame("end", requestId, seq).put("status", "completed").toString());
            return frames;
        }
        JsonNode data = MAPPER.readTree(event[1]);
        switch (name) {
            case "thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.completed" ->
                    frames.add(frame("status", requestId, seq).put("status", data.path("status").asString()).toString());
            case "thread.message.delta" -> {
                if (!started[0]) {
                    started[0] = true;
                    frames.add(frame("start", requestId, seq)
                            .put("message", "Assistant started generating text.").toString());
                }
                String value = data.path("delta").path("content").path(0).path("text").path("value").asString();
                frames.add(frame("chunk", requestId, seq).put("message", value).toString());
            }
            case "thread.message.completed" -> frames.add(frame("message_done", requestId, seq)
                    .put("text", data.path("content").path(0).path("text").path("value").asString()).toString());
            default -> {
            }
        }
        return frames;
    }

    private static ObjectNode frame(String type, String requestId, AtomicLong seq) {
        return MAPPER.createObjectNode().put("type", type).put("requestId", requestId)
                .put("seq", seq.incrementAndGet());
    }

    /** Splits an SSE byte stream, arriving in arbitrary chunks, into {event, data} pairs. */
    private static final class SseSplitter implements java.util.function.Function<String, Iterable<String[]>> {
        private final StringBuilder pending = new StringBuilder();

        @Override
        public Iterable<String[]> apply(String chunk) {
            pending.append(chunk);
            List<String[]> events = new ArrayList<>();
            int end;
            while ((end = pending.indexOf("\n\n")) >= 0) {
                String block = pending.substring(0, end);
                pending.delete(0, end + 2);
                String event = null;
                StringBuilder data = new StringBuilder();
                for (String line : block.split("\n")) {
                    if (line.startsWith("event: ")) {
                        event = line.substring(7);
                    } else if (line.startsWith("data: ")) {
                        data.append(line, 6, line.length());
                    }
                }
                if (event != null) {
                    events.add(new String[] {event, data.toString()});
                }
            }
            return events;
        }
    }
}
