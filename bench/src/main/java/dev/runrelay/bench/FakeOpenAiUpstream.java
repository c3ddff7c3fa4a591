package dev.runrelay.bench;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A standalone fake OpenAI server for the benchmark's upstream: the Assistants v2 run endpoints (for
 * {@code runrelay.provider=openai-assistants}) and the Responses + Conversations endpoints (for
 * {@code runrelay.provider=openai}), streaming text runs at a set pace, in the wire format of OpenAI's API
 * reference. The Responses side is in {@link FakeResponses}.
 *
 * <p>Every Assistants run streams the events a real text run streams ({@code thread.created} for thread-and-run,
 * {@code thread.run.created/queued/in_progress}, the message-creation step, {@code thread.message.created},
 * one {@code thread.message.delta} per token, {@code thread.message.completed}, {@code thread.run.step.completed},
 * {@code thread.run.completed}, {@code done}), with the JSON objects of OpenAI's API reference.
 *
 * <p>Delta {@code k} of a run has the text {@code "<epochMicros>|<k> "}: the wall-clock microsecond it was
 * emitted, so the load client can compute delivery latency, and its index, so the client can check loss,
 * duplication and order. The pace is the server default ({@code --deltas}, {@code --interval-ms}) unless the
 * request body contains {@code bench:deltas=N,interval=MS} (the load client puts it in the run's input).
 */
public final class FakeOpenAiUpstream {

    static final Pattern PACE = Pattern.compile("bench:deltas=(\\d+),interval=(\\d+)");
    static final Pattern STREAM_TRUE = Pattern.compile("\"stream\"\\s*:\\s*true");

    private final int defaultDeltas;
    private final int defaultIntervalMs;
    private final AtomicLong ids = new AtomicLong();
    private final FakeResponses responses;
    private final StreamLog log = new StreamLog();

    FakeOpenAiUpstream(int defaultDeltas, int defaultIntervalMs) {
        this.defaultDeltas = defaultDeltas;
        this.defaultIntervalMs = defaultIntervalMs;
        this.responses = new FakeResponses(defaultDeltas, defaultIntervalMs, ids, log);
    }

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        int port = args.integer("port", 0);
        int deltas = args.integer("deltas", 200);
        int intervalMs = args.integer("interval-ms", 20);
        String portFile = args.string("port-file", "");
        args.requireAllUsed();

        DisposableServer server = new FakeOpenAiUpstream(deltas, intervalMs).start(port);
        System.out.printf("fake-openai-upstream listening on http://127.0.0.1:%d/v1 (deltas=%d interval=%dms)%n",
                server.port(), deltas, intervalMs);
        if (!portFile.isEmpty()) {
            Files.writeString(Path.of(portFile), Integer.toString(server.port()));
        }
        server.onDispose().block();
    }

    DisposableServer start(int port) {
        return HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes
                        .get("/health", (req, res) -> res.sendString(Mono.just("ok")))
                        .post("/v1/threads/runs", (req, res) -> createRun(req, res, null))
                        .post("/v1/threads", (req, res) -> json(res, threadJson("thread_" + ids.incrementAndGet())))
                        .post("/v1/threads/{threadId}/messages", this::createMessage)
                        .post("/v1/threads/{threadId}/runs/{runId}/cancel", (req, res) -> json(res,
                                runJson(new Ids(req.param("threadId"), req.param("runId"), "", ""), "cancelled", null)))
                        .get("/v1/threads/{threadId}/runs/{runId}", (req, res) -> json(res,
                                runJson(new Ids(req.param("threadId"), req.param("runId"), "", ""), "completed", null)))
                        .post("/v1/threads/{threadId}/runs", (req, res) -> createRun(req, res, req.param("threadId")))
                        .post("/v1/conversations", responses::createConversation)
                        .post("/v1/conversations/{conversationId}/items", responses::createItems)
                        .post("/v1/responses", responses::createResponse)
                        .post("/v1/responses/{responseId}/cancel", responses::cancel)
                        .get("/v1/responses/{responseId}", responses::retrieve))
                .bindNow();
    }

    private record Ids(String thread, String run, String step, String message) {
    }

    private Publisher<Void> createMessage(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            long now = epochSeconds();
            String json = """
                    {"id":"msg_u%d","object":"thread.message","created_at":%d,"assistant_id":null,"thread_id":"%s",\
                    "run_id":null,"status":"completed","incomplete_details":null,"incomplete_at":null,"completed_at":%d,\
                    "role":"user","content":[{"type":"text","text":{"value":"bench","annotations":[]}}],\
                    "attachments":[],"metadata":{}}""".formatted(ids.incrementAndGet(), now, req.param("threadId"), now);
            return res.header("content-type", "application/json").sendString(Mono.just(json)).then();
        });
    }

    private Publisher<Void> createRun(HttpServerRequest req, HttpServerResponse res, String existingThread) {
        EventLoop loop = eventLoopOf(req);
        return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            long n = ids.incrementAndGet();
            boolean newThread = existingThread == null;
            Ids runIds = new Ids(newThread ? "thread_" + n : existingThread, "run_" + n, "step_" + n, "msg_" + n);
            if (!STREAM_TRUE.matcher(body).find()) {
                return json(res, runJson(runIds, "queued", null)).then();
            }
            int deltas = defaultDeltas;
            int intervalMs = defaultIntervalMs;
            Matcher pace = PACE.matcher(body);
            if (pace.find()) {
                deltas = Integer.parseInt(pace.group(1));
                intervalMs = Integer.parseInt(pace.group(2));
            }
            Flux<String> events = stream(runIds, newThread, deltas, intervalMs, loop);
            return res.status(HttpResponseStatus.OK)
                    .header("content-type", "text/event-stream; charset=utf-8")
                    .header("cache-control", "no-cache")
                    .sendString(events, StandardCharsets.UTF_8)
                    .then();
        });
    }

    static EventLoop eventLoopOf(HttpServerRequest req) {
        EventLoop[] loop = new EventLoop[1];
        req.withConnection(connection -> loop[0] = connection.channel().eventLoop());
        return loop[0];
    }

    private Flux<String> stream(Ids ids, boolean newThread, int deltas, int intervalMs, EventLoop loop) {
        StringBuilder fullText = new StringBuilder(deltas * 24);
        Flux<String> preamble = Flux.defer(() -> {
            StringBuilder out = new StringBuilder(4096);
            if (newThread) {
                sse(out, "thread.created", threadJson(ids.thread()));
            }
            sse(out, "thread.run.created", runJson(ids, "queued", null));
            sse(out, "thread.run.queued", runJson(ids, "queued", null));
            sse(out, "thread.run.in_progress", runJson(ids, "in_progress", null));
            sse(out, "thread.run.step.created", stepJson(ids, "in_progress"));
            sse(out, "thread.run.step.in_progress", stepJson(ids, "in_progress"));
            sse(out, "thread.message.created", messageJson(ids, "in_progress", null));
            sse(out, "thread.message.in_progress", messageJson(ids, "in_progress", null));
            return Flux.just(out.toString());
        });
        // The frame around the text is the same for every delta of the run: built once (the fake must stay cheap,
        // it shares the machine's two cores with the app).
        String before = "event: thread.message.delta\ndata: {\"id\":\"" + ids.message()
                + "\",\"object\":\"thread.message.delta\",\"delta\":{\"content\":[{\"index\":0,\"type\":\"text\","
                + "\"text\":{\"value\":\"";
        String after = "\",\"annotations\":[]}}]}}\n\n";
        Flux<String> body = deltas(deltas, intervalMs, loop, k -> {
            String text = deltaText(k);
            fullText.append(text);
            return new StringBuilder(before.length() + text.length() + after.length())
                    .append(before).append(text).append(after).toString();
        });
        Flux<String> epilogue = Flux.defer(() -> {
            StringBuilder out = new StringBuilder(fullText.length() + 4096);
            sse(out, "thread.message.completed", messageJson(ids, "completed", fullText.toString()));
            sse(out, "thread.run.step.completed", stepJson(ids, "completed"));
            sse(out, "thread.run.completed", runJson(ids, "completed", deltas));
            out.append("event: done\ndata: [DONE]\n\n");
            return Flux.just(out.toString());
        });
        return log.watch(ids.run(), Flux.concat(preamble, body, epilogue));
    }

    /**
     * The deltas of one run, rendered by {@code render(k)} when each is due: all at once with no interval
     * (as fast as the connection takes them), else the first at once and then one per interval, paced by the
     * connection's event loop's {@link PacedTicker} and buffered if the app reads late (the stamp is then the
     * generation time, so reading late shows as latency).
     */
    static Flux<String> deltas(int deltas, int intervalMs, EventLoop loop, LongFunction<String> render) {
        if (intervalMs <= 0) {
            return Flux.range(0, deltas).map(k -> render.apply(k));
        }
        if (loop == null) {
            return Flux.interval(Duration.ZERO, Duration.ofMillis(intervalMs)).take(deltas).map(render::apply)
                    .onBackpressureBuffer();
        }
        return PacedTicker.paced(loop, deltas, intervalMs, render);
    }

    /** The delta text: its emission time in epoch microseconds, and its index. */
    static String deltaText(long index) {
        return Micros.now() + "|" + index + " ";
    }

    static void sse(StringBuilder out, String event, String data) {
        out.append("event: ").append(event).append("\ndata: ").append(data).append("\n\n");
    }

    static Mono<Void> json(HttpServerResponse res, String json) {
        return res.header("content-type", "application/json").sendString(Mono.just(json)).then();
    }

    static long epochSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    private static String threadJson(String threadId) {
        return """
                {"id":"%s","object":"thread","created_at":%d,"metadata":{},"tool_resources":{}}"""
                .formatted(threadId, epochSeconds());
    }

    private static String runJson(Ids ids, String status, Integer completionTokens) {
        long now = epochSeconds();
        boolean done = "completed".equals(status);
        String usage = completionTokens == null ? "null"
                : "{\"prompt_tokens\":12,\"completion_tokens\":%d,\"total_tokens\":%d}"
                        .formatted(completionTokens, completionTokens + 12);
        return """
                {"id":"%s","object":"thread.run","created_at":%d,"assistant_id":"asst_bench","thread_id":"%s",\
                "status":"%s","started_at":%s,"expires_at":%s,"cancelled_at":%s,"failed_at":null,"completed_at":%s,\
                "required_action":null,"last_error":null,"model":"gpt-4o","instructions":"You are a benchmark.",\
                "tools":[],"tool_resources":{},"metadata":{},"incomplete_details":null,"usage":%s,"temperature":1.0,\
                "top_p":1.0,"max_prompt_tokens":null,"max_completion_tokens":null,\
                "truncation_strategy":{"type":"auto","last_messages":null},"response_format":"auto",\
                "tool_choice":"auto","parallel_tool_calls":true}"""
                .formatted(ids.run(), now, ids.thread(), status,
                        "queued".equals(status) ? "null" : Long.toString(now),
                        done || "cancelled".equals(status) ? "null" : Long.toString(now + 600),
                        "cancelled".equals(status) ? Long.toString(now) : "null",
                        done ? Long.toString(now) : "null",
                        usage);
    }

    private static String stepJson(Ids ids, String status) {
        long now = epochSeconds();
        boolean done = "completed".equals(status);
        return """
                {"id":"%s","object":"thread.run.step","created_at":%d,"run_id":"%s","assistant_id":"asst_bench",\
                "thread_id":"%s","type":"message_creation","status":"%s","cancelled_at":null,"completed_at":%s,\
                "expired_at":null,"failed_at":null,"last_error":null,\
                "step_details":{"type":"message_creation","message_creation":{"message_id":"%s"}},\
                "usage":%s,"metadata":{}}"""
                .formatted(ids.step(), now, ids.run(), ids.thread(), status, done ? Long.toString(now) : "null",
                        ids.message(),
                        done ? "{\"prompt_tokens\":12,\"completion_tokens\":1,\"total_tokens\":13}" : "null");
    }

    private static String messageJson(Ids ids, String status, String text) {
        long now = epochSeconds();
        String content = text == null ? "[]"
                : "[{\"type\":\"text\",\"text\":{\"value\":\"" + text + "\",\"annotations\":[]}}]";
        return """
                {"id":"%s","object":"thread.message","created_at":%d,"assistant_id":"asst_bench","thread_id":"%s",\
                "run_id":"%s","status":"%s","incomplete_details":null,"incomplete_at":null,"completed_at":%s,\
                "role":"assistant","content":%s,"attachments":[],"metadata":{}}"""
                .formatted(ids.message(), now, ids.thread(), ids.run(), status,
                        "completed".equals(status) ? Long.toString(now) : "null", content);
    }
}
