package dev.runrelay.adapter.openai.fake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * An in-process fake of the Assistants API v2 that speaks its wire format (JSON objects, SSE frames
 * ending {@code event: done} / {@code data: [DONE]}), built on the JDK's HTTP server with one
 * virtual thread per exchange, bound to 127.0.0.1. Shared through adapter-openai's test-jar: the
 * WebSocket end-to-end tests and the benchmark run it too ({@link #main(String[])}).
 *
 * <p>Answers are routes: one-shot routes ({@link #enqueue}) are used first, in order; then the most
 * recently added persistent route ({@link #on}) that matches. Every request is recorded.
 */
public final class FakeAssistantsServer implements AutoCloseable {

    /** Matches a request by method, path (regex on the path after {@code /v1}) and, optionally, streaming. */
    private record Route(String method, Pattern path, Predicate<String> body, FakeResponse response) {
        boolean matches(String requestMethod, String requestPath, String requestBody) {
            return method.equals(requestMethod) && path.matcher(requestPath).matches() && body.test(requestBody);
        }
    }

    private static final Pattern STREAM_TRUE = Pattern.compile("\"stream\"\\s*:\\s*true");
    public static final String RUNS_OF_THREAD = "/threads/[^/]+/runs";
    public static final String THREAD_AND_RUN = "/threads/runs";
    public static final String SUBMIT_TOOL_OUTPUTS = "/threads/[^/]+/runs/[^/]+/submit_tool_outputs";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Deque<Route> oneShot = new ConcurrentLinkedDeque<>();
    private final Deque<Route> persistent = new ConcurrentLinkedDeque<>();
    private final BlockingQueue<RecordedRequest> requests = new LinkedBlockingQueue<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger clientClosedStreams = new AtomicInteger();
    private final AtomicInteger completedStreams = new AtomicInteger();
    private final AtomicLong runCounter = new AtomicLong();
    private final AtomicLong requestCounter = new AtomicLong();

    private FakeAssistantsServer(int port) throws IOException {
        executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-openai-", 0).factory());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts on a random free port of 127.0.0.1. */
    public static FakeAssistantsServer start() {
        return start(0);
    }

    public static FakeAssistantsServer start(int port) {
        try {
            return new FakeAssistantsServer(port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake OpenAI server", e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL to configure openai-java with, e.g. {@code http://127.0.0.1:port/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port() + "/v1";
    }

    /** Answers every matching request (streaming or not) with {@code response}, until replaced. */
    public FakeAssistantsServer on(String method, String pathRegex, FakeResponse response) {
        persistent.addFirst(new Route(method, Pattern.compile(pathRegex), body -> true, response));
        return this;
    }

    /** Answers matching requests that ask for a stream ({@code "stream": true}). */
    public FakeAssistantsServer onStream(String method, String pathRegex, FakeResponse response) {
        persistent.addFirst(new Route(method, Pattern.compile(pathRegex),
                body -> STREAM_TRUE.matcher(body).find(), response));
        return this;
    }

    /** Answers the next matching request once, before any persistent route. */
    public FakeAssistantsServer enqueue(String method, String pathRegex, FakeResponse response) {
        oneShot.addLast(new Route(method, Pattern.compile(pathRegex), body -> true, response));
        return this;
    }

    /**
     * The benchmark's scenario: every streaming create run / create thread-and-run answers a text
     * run of {@code deltas} fragments, one every {@code interval}.
     */
    public FakeAssistantsServer textRuns(int deltas, Duration interval) {
        onStream("POST", RUNS_OF_THREAD, new FakeResponse.Generated((path, number) -> FakeResponse.sse(
                AssistantsJson.textRunFrames(path.split("/")[2], "run_fake" + number, deltas, false)).every(interval)));
        onStream("POST", THREAD_AND_RUN, new FakeResponse.Generated((path, number) -> FakeResponse.sse(
                AssistantsJson.textRunFrames("thread_fake" + number, "run_fake" + number, deltas, true)).every(interval)));
        return this;
    }

    /** The next recorded request, waiting up to {@code timeout}; null if none came. */
    public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
        return requests.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public List<RecordedRequest> drainRequests() {
        List<RecordedRequest> drained = new ArrayList<>();
        requests.drainTo(drained);
        return drained;
    }

    /** Streams being written right now. */
    public int openStreams() {
        return openStreams.get();
    }

    /** Streams the client closed before the server finished writing them. */
    public int clientClosedStreams() {
        return clientClosedStreams.get();
    }

    public int completedStreams() {
        return completedStreams.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean dropped = false;
        try {
            String method = exchange.getRequestMethod();
            String fullPath = exchange.getRequestURI().getPath();
            String path = fullPath.startsWith("/v1") ? fullPath.substring(3) : fullPath;
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
            requests.add(new RecordedRequest(method, fullPath, exchange.getRequestURI().getRawQuery(), headers, body));

            FakeResponse response = route(method, path, body);
            exchange.getResponseHeaders().add("x-request-id", "req_fake_" + requestCounter.incrementAndGet());
            switch (response) {
                case FakeResponse.Json json -> writeJson(exchange, json);
                case FakeResponse.Sse sse -> writeSse(exchange, sse);
                case FakeResponse.Generated generated ->
                        writeSse(exchange, generated.generator().apply(path, runCounter.incrementAndGet()));
                case FakeResponse.Listed listed -> writeJson(exchange, FakeResponse.json(200,
                        listed.page(query(exchange.getRequestURI().getRawQuery()))));
            }
        } catch (DroppedOnPurpose drop) {
            // Not closing the exchange: closing would write the chunked body's clean end (0 CRLF CRLF).
            // The JDK server closes the socket of an unfinished exchange whose handler threw.
            dropped = true;
            throw drop;
        } finally {
            if (!dropped) {
                exchange.close();
            }
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new TreeMap<>();
        if (raw != null && !raw.isEmpty()) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return query;
    }

    private FakeResponse route(String method, String path, String body) {
        for (Route route : oneShot) {
            if (route.matches(method, path, body) && oneShot.remove(route)) {
                return route.response();
            }
        }
        for (Route route : persistent) {
            if (route.matches(method, path, body)) {
                return route.response();
            }
        }
        return FakeResponse.error(404, "invalid_request_error", null, "No fake route for " + method + " " + path, Map.of());
    }

    private static void writeJson(HttpExchange exchange, FakeResponse.Json json) throws IOException {
        byte[] bytes = json.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        json.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(json.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private void writeSse(HttpExchange exchange, FakeResponse.Sse sse) throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().add("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        openStreams.incrementAndGet();
        try {
            for (int i = 0; i < sse.frames().size(); i++) {
                if (i == sse.dropAfter()) {
                    // An exception from the handler makes the JDK server drop the connection mid-body.
                    throw new DroppedOnPurpose();
                }
                if (i == sse.stallAfter()) {
                    sleep(sse.stall());
                }
                if (!sse.interval().isZero()) {
                    sleep(sse.interval());
                }
                out.write((sse.frames().get(i) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            completedStreams.incrementAndGet();
        } catch (IOException clientWentAway) {
            clientClosedStreams.incrementAndGet();
            throw clientWentAway;
        } finally {
            openStreams.decrementAndGet();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DroppedOnPurpose();
        }
    }

    /** Thrown inside the handler to break the connection without ending the body. */
    private static final class DroppedOnPurpose extends RuntimeException {
        DroppedOnPurpose() {
            super("connection dropped on purpose", null, false, false);
        }
    }

    /**
     * Starts a standalone fake, e.g. for the benchmark:
     * {@code java ... FakeAssistantsServer [port] [deltas] [intervalMillis]}.
     */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
        int deltas = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        long intervalMillis = args.length > 2 ? Long.parseLong(args[2]) : 20;
        FakeAssistantsServer fake = start(port).textRuns(deltas, Duration.ofMillis(intervalMillis));
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(fake::close));
        System.err.printf("Fake Assistants API on %s: text runs of %d deltas every %d ms%n",
                fake.baseUrl(), deltas, intervalMillis);
        Thread.currentThread().join();
    }
}
