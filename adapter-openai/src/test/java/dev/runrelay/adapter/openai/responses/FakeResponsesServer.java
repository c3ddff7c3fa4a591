package dev.runrelay.adapter.openai.responses;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A wire-faithful fake of OpenAI's Responses and Conversations endpoints, for tests and the benchmark:
 * {@code POST /v1/responses} (streamed as SSE or not, background), {@code GET /v1/responses/{id}}
 * (JSON, or SSE replay with {@code stream=true&starting_after=N}), {@code POST /v1/responses/{id}/cancel},
 * {@code POST /v1/conversations}, {@code POST|GET /v1/conversations/{id}/items}.
 *
 * <p>Like the real API, a conversation whose last response ended with function calls refuses new input
 * until each call has a {@code function_call_output}; a request naming both {@code conversation} and
 * {@code previous_response_id} is refused.
 *
 * <p>Each {@code POST /responses} takes the next {@link #enqueue enqueued} scenario, else the
 * {@link #defaultScenario default} (a short text run). Served by Reactor Netty on 127.0.0.1; each stream
 * is produced on a virtual thread that sleeps between events, so hundreds of timed streams are cheap.
 */
public final class FakeResponsesServer implements AutoCloseable {

    /** One request the server received. {@code body} is null for requests without one. */
    public record Request(String method, String path, Map<String, String> query, JsonNode body) {}

    /** What a handler answers: a status and a JSON body, or a stream of SSE frames. */
    private record Reply(int status, String json, Flux<String> frames, Map<String, String> headers) {
        Reply(int status, String json, Flux<String> frames) {
            this(status, json, frames, Map.of());
        }

        static Reply json(int status, String json) {
            return new Reply(status, json, null);
        }
    }

    private final ExecutorService streamThreads = Executors.newVirtualThreadPerTaskExecutor();
    private final Scheduler streamScheduler = Schedulers.fromExecutorService(streamThreads, "fake-responses");
    private final DisposableServer server;
    private final Queue<FakeResponsesScenario> scenarios = new ConcurrentLinkedQueue<>();
    private volatile FakeResponsesScenario defaultScenario = FakeResponsesScenario.text(5, Duration.ZERO);
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, StoredResponse> responses = new ConcurrentHashMap<>();
    private final Map<String, Conversation> conversations = new ConcurrentHashMap<>();
    private final AtomicInteger clientDisconnects = new AtomicInteger();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicLong ids = new AtomicLong(1000);
    private final AtomicLong requestIds = new AtomicLong();

    private FakeResponsesServer(int port) {
        server = HttpServer.create().host("127.0.0.1").port(port).handle(this::handle).bindNow();
    }

    /** Starts on a random free port of 127.0.0.1. */
    public static FakeResponsesServer start() {
        return start(0);
    }

    public static FakeResponsesServer start(int port) {
        return new FakeResponsesServer(port);
    }

    /** Serves until killed: {@code java ... FakeResponsesServer [port] [deltas] [deltaMillis]}. */
    public static void main(String[] args) throws InterruptedException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8089;
        var fake = start(port);
        if (args.length > 2) {
            fake.defaultScenario(FakeResponsesScenario.text(
                    Integer.parseInt(args[1]), Duration.ofMillis(Long.parseLong(args[2]))));
        }
        System.err.println("fake OpenAI Responses API on " + fake.baseUrl());
        Thread.currentThread().join();
    }

    /** The base URL to configure the client with, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.port() + "/v1";
    }

    public FakeResponsesServer enqueue(FakeResponsesScenario scenario) {
        scenarios.add(scenario);
        return this;
    }

    public FakeResponsesServer defaultScenario(FakeResponsesScenario scenario) {
        defaultScenario = scenario;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The requests with this method and path, e.g. {@code POST /v1/responses}. */
    public List<Request> requests(String method, String path) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    /** How many times a client went away while the server was still writing a stream to it. */
    public int clientDisconnects() {
        return clientDisconnects.get();
    }

    /** The function call ids a conversation waits outputs for. */
    /** Streams being written right now (created or resumed, not yet ended, broken or closed by the client). */
    public int openStreams() {
        return openStreams.get();
    }

    public Set<String> pendingCalls(String conversationId) {
        Conversation conversation = conversations.get(conversationId);
        return conversation == null ? Set.of() : Set.copyOf(conversation.pendingCalls);
    }

    @Override
    public void close() {
        server.disposeNow(Duration.ofSeconds(2));
        streamScheduler.dispose();
        streamThreads.shutdownNow();
    }

    private Publisher<Void> handle(HttpServerRequest http, HttpServerResponse out) {
        return http.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
                .map(raw -> {
                    URI uri = URI.create(http.uri());
                    String method = http.method().name();
                    String path = uri.getPath();
                    Map<String, String> query = query(uri.getRawQuery());
                    JsonNode body = raw.isEmpty() ? null : readJson(raw);
                    requests.add(new Request(method, path, query, body));
                    return route(method, path, query, body);
                })
                .flatMapMany(reply -> {
                    // Like the real API, every answer has its own request id.
                    out.status(reply.status()).header("x-request-id", "req_" + Long.toHexString(0x5eed0000L + requestIds.incrementAndGet()));
                    reply.headers().forEach(out::header);
                    if (reply.frames() == null) {
                        return out.header("content-type", "application/json").sendString(Mono.just(reply.json()));
                    }
                    return out.header("content-type", "text/event-stream; charset=utf-8").sendString(reply.frames());
                });
    }

    private Reply route(String method, String path, Map<String, String> query, JsonNode body) {
        if (!path.startsWith("/v1/")) {
            return error(404, "Unknown path " + path);
        }
        String[] segments = path.substring("/v1/".length()).split("/");
        return switch (method + " " + segments[0] + "/" + segments.length) {
            case "POST responses/1" -> createResponse((ObjectNode) body);
            case "GET responses/2" -> retrieveResponse(segments[1], query);
            case "POST responses/3" -> cancelResponse(segments[1]);
            case "POST conversations/1" -> createConversation(body);
            case "GET conversations/2" -> retrieveConversation(segments[1]);
            case "POST conversations/3" -> addItems(segments[1], body);
            case "GET conversations/3" -> listItems(segments[1], query);
            case "DELETE conversations/2" -> deleteConversation(segments[1]);
            default -> error(404, "Unknown path " + path);
        };
    }

    private Reply createResponse(ObjectNode body) {
        String conversationId = body.path("conversation").isTextual()
                ? body.path("conversation").asText()
                : body.path("conversation").path("id").asText(null);
        if (conversationId != null && body.hasNonNull("previous_response_id")) {
            return error(400, "Parameters 'conversation' and 'previous_response_id' cannot be used together.");
        }
        Conversation conversation = conversationId == null ? null : conversations.get(conversationId);
        if (conversationId != null && conversation == null) {
            return error(404, "Conversation with id '" + conversationId + "' not found.");
        }
        List<JsonNode> input = inputItems(body.get("input"));
        if (conversation != null) {
            Set<String> unanswered = new LinkedHashSet<>(conversation.pendingCalls);
            input.forEach(item -> unanswered.remove(item.path("call_id").asText()));
            if (!unanswered.isEmpty()) {
                return error(400, "No tool output found for function call " + unanswered.iterator().next() + ".");
            }
        }
        FakeResponsesScenario scenario = scenarios.poll();
        if (scenario == null) {
            scenario = defaultScenario;
        }
        if (scenario.errorStatus() > 0) {
            return new Reply(scenario.errorStatus(), scenario.errorBody(), null, scenario.headers());
        }
        var response = new StoredResponse(nextId("resp_"), body, conversation, scenario);
        if (conversation != null) {
            synchronized (conversation) {
                input.forEach(item -> conversation.add(item.deepCopy()));
            }
        }
        responses.put(response.id, response);
        boolean stream = body.path("stream").asBoolean(false);
        if (!stream && !response.background) {
            // A plain request waits for the whole answer, as the real API does.
            response.produceAll();
            return new Reply(200, response.currentSnapshot().toString(), null, scenario.headers());
        }
        ObjectNode atCreation = response.currentSnapshot();
        streamThreads.execute(response::produceOverTime);
        return stream
                ? new Reply(200, null, frames(response, -1, scenario.dropAfter()), scenario.headers())
                : new Reply(200, atCreation.toString(), null, scenario.headers());
    }

    private Reply retrieveResponse(String id, Map<String, String> query) {
        StoredResponse response = responses.get(id);
        if (response == null) {
            return error(404, "Response with id '" + id + "' not found.");
        }
        if ("true".equals(query.get("stream"))) {
            return new Reply(200, null, frames(response, Long.parseLong(query.getOrDefault("starting_after", "-1")),
                    response.scenario.dropEveryDelivery() ? response.scenario.dropAfter() : null));
        }
        return Reply.json(200, response.currentSnapshot().toString());
    }

    private Reply cancelResponse(String id) {
        StoredResponse response = responses.get(id);
        if (response == null) {
            return error(404, "Response with id '" + id + "' not found.");
        }
        if (!response.background) {
            return error(400, "Only responses created with background=true can be cancelled.");
        }
        return Reply.json(200, response.cancel().toString());
    }

    private Reply createConversation(JsonNode body) {
        var conversation = new Conversation(nextId("conv_"));
        if (body != null) {
            inputItems(body.get("items")).forEach(item -> conversation.add(item.deepCopy()));
            if (body.has("metadata")) {
                conversation.metadata = body.get("metadata");
            }
        }
        conversations.put(conversation.id, conversation);
        ObjectNode json = FakeResponsesScenario.JSON.createObjectNode()
                .put("id", conversation.id).put("object", "conversation").put("created_at", now());
        json.set("metadata", conversation.metadata == null ? FakeResponsesScenario.JSON.createObjectNode() : conversation.metadata);
        return Reply.json(200, json.toString());
    }

    private Reply retrieveConversation(String id) {
        Conversation conversation = conversations.get(id);
        if (conversation == null) {
            return error(404, "Conversation with id '" + id + "' not found.");
        }
        ObjectNode json = FakeResponsesScenario.JSON.createObjectNode()
                .put("id", conversation.id).put("object", "conversation").put("created_at", now());
        json.set("metadata", conversation.metadata == null ? FakeResponsesScenario.JSON.createObjectNode() : conversation.metadata);
        return Reply.json(200, json.toString());
    }

    private Reply deleteConversation(String id) {
        if (conversations.remove(id) == null) {
            return error(404, "Conversation with id '" + id + "' not found.");
        }
        return Reply.json(200, FakeResponsesScenario.JSON.createObjectNode()
                .put("id", id).put("object", "conversation.deleted").put("deleted", true).toString());
    }

    /** The ids of the conversations that exist (created and not deleted). */
    public Set<String> conversationIds() {
        return Set.copyOf(conversations.keySet());
    }

    private Reply addItems(String id, JsonNode body) {
        Conversation conversation = conversations.get(id);
        if (conversation == null) {
            return error(404, "Conversation with id '" + id + "' not found.");
        }
        var added = new ArrayList<JsonNode>();
        synchronized (conversation) {
            for (JsonNode item : inputItems(body.get("items"))) {
                added.add(conversation.add(item.deepCopy()));
            }
        }
        return Reply.json(200, list(added).toString());
    }

    /** Lists items like the API: newest first unless {@code order=asc}, {@code limit} (20) after {@code after}. */
    private Reply listItems(String id, Map<String, String> query) {
        Conversation conversation = conversations.get(id);
        if (conversation == null) {
            return error(404, "Conversation with id '" + id + "' not found.");
        }
        List<JsonNode> ordered;
        synchronized (conversation) {
            ordered = new ArrayList<>(conversation.items);
        }
        if (!"asc".equals(query.getOrDefault("order", "desc"))) {
            Collections.reverse(ordered);
        }
        int from = 0;
        if (query.containsKey("after")) {
            from = ordered.size();
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i).path("id").asText().equals(query.get("after"))) {
                    from = i + 1;
                }
            }
        }
        int limit = Integer.parseInt(query.getOrDefault("limit", "20"));
        int to = Math.min(ordered.size(), from + limit);
        return Reply.json(200, list(ordered.subList(from, to)).put("has_more", to < ordered.size()).toString());
    }

    /**
     * The SSE frames of the events after {@code startingAfter}, one per pause; the connection breaks
     * (no clean end of the chunked body) after {@code dropAfter} of them when set.
     */
    private Flux<String> frames(StoredResponse response, long startingAfter, Integer dropAfter) {
        boolean drop = dropAfter != null
                && (response.dropped.compareAndSet(false, true) || response.scenario.dropEveryDelivery());
        // A stall or unreadable data happens on the first delivery only, as a passing fault would.
        boolean firstDelivery = startingAfter < 0 && response.delivered.compareAndSet(false, true);
        int stallAfter = firstDelivery ? response.scenario.stallAfter() : -1;
        int malformedAt = firstDelivery ? response.scenario.malformedAt() : -1;
        var cancelledByClient = new AtomicBoolean();
        return Flux.<String, int[]>generate(() -> new int[] {0, 0, 0, 0}, (state, sink) -> {
                    // state[0]: next event index, state[1]: frames written, state[2]: stalled, state[3]: malformed sent
                    ObjectNode event = response.awaitEvent(state[0]);
                    while (event != null && event.path("sequence_number").asLong() <= startingAfter) {
                        event = response.awaitEvent(++state[0]);
                    }
                    if (event == null) {
                        // Produced to the end, or cancelled: the body ends cleanly after the last event produced.
                        sink.complete();
                        return state;
                    }
                    if (drop && state[1] == dropAfter) {
                        sink.error(new DroppedOnPurpose());
                        return state;
                    }
                    if (state[1] == stallAfter && state[2] == 0) {
                        state[2] = 1;
                        sleep(response.scenario.stall());
                    }
                    if (state[1] == malformedAt && state[3] == 0) {
                        state[3] = 1;
                        state[1]++;
                        sink.next("event: " + event.path("type").asText() + "\ndata: {\"type\": \"" + event.path("type").asText()
                                + "\", \"sequence_number\": \n\n");
                        return state;
                    }
                    state[0]++;
                    state[1]++;
                    sink.next("event: " + event.path("type").asText() + "\ndata: " + event + "\n\n");
                    return state;
                })
                .subscribeOn(streamScheduler)
                .limitRate(1)
                .doOnSubscribe(subscription -> openStreams.incrementAndGet())
                .doFinally(signal -> openStreams.decrementAndGet())
                .doOnCancel(() -> {
                    if (cancelledByClient.compareAndSet(false, true)) {
                        clientDisconnects.incrementAndGet();
                    }
                });
    }

    /** Breaks a stream's connection on purpose, as a network failure would. */
    private static final class DroppedOnPurpose extends RuntimeException {
        DroppedOnPurpose() {
            super("connection dropped on purpose by the scenario", null, false, false);
        }
    }

    private static void sleep(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Reply error(int status, String message) {
        return Reply.json(status, FakeResponsesScenario.error(status, "invalid_request_error", null, message).errorBody());
    }

    private static JsonNode readJson(String raw) {
        try {
            return FakeResponsesScenario.JSON.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode list(List<JsonNode> items) {
        ObjectNode json = FakeResponsesScenario.JSON.createObjectNode().put("object", "list");
        json.putArray("data").addAll(items);
        if (items.isEmpty()) {
            json.putNull("first_id").putNull("last_id");
        } else {
            json.put("first_id", items.getFirst().path("id").asText());
            json.put("last_id", items.getLast().path("id").asText());
        }
        return json.put("has_more", false);
    }

    private static List<JsonNode> inputItems(JsonNode input) {
        var items = new ArrayList<JsonNode>();
        if (input == null || input.isNull()) {
            return items;
        }
        if (input.isTextual()) {
            items.add(FakeResponsesScenario.JSON.createObjectNode()
                    .put("type", "message").put("role", "user").put("content", input.asText()));
            return items;
        }
        input.forEach(items::add);
        return items;
    }

    private static Map<String, String> query(String raw) {
        var query = new HashMap<String, String>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                query.merge(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8),
                        (a, b) -> a + "," + b);
            }
        }
        return query;
    }

    private String nextId(String prefix) {
        return prefix + Long.toHexString(ids.incrementAndGet()) + Long.toHexString(System.nanoTime() & 0xffffff);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private final class Conversation {
        final String id;
        final List<JsonNode> items = new ArrayList<>();
        final Set<String> pendingCalls = ConcurrentHashMap.newKeySet();
        JsonNode metadata;

        Conversation(String id) {
            this.id = id;
        }

        JsonNode add(ObjectNode item) {
            if (!item.has("id")) {
                item.put("id", nextId(item.path("type").asText("item").startsWith("function_call_output") ? "fco_" : "msg_"));
            }
            if (!item.has("type")) {
                item.put("type", "message");
            }
            if ("message".equals(item.path("type").asText())) {
                storeAsContentParts(item);
            }
            if ("function_call_output".equals(item.path("type").asText())) {
                pendingCalls.remove(item.path("call_id").asText());
            }
            if ("function_call".equals(item.path("type").asText())) {
                pendingCalls.add(item.path("call_id").asText());
            }
            items.add(item);
            return item;
        }

        JsonNode add(JsonNode item) {
            return add((ObjectNode) item);
        }

        /**
         * The API stores a message's content as parts: a string given as input becomes one
         * {@code input_text} part ({@code output_text} for the assistant), and the item is completed.
         */
        private static void storeAsContentParts(ObjectNode message) {
            JsonNode content = message.get("content");
            boolean assistant = "assistant".equals(message.path("role").asText());
            if (content != null && content.isTextual()) {
                ObjectNode part = FakeResponsesScenario.JSON.createObjectNode()
                        .put("type", assistant ? "output_text" : "input_text").put("text", content.asText());
                if (assistant) {
                    part.putArray("annotations");
                }
                message.putArray("content").add(part);
            }
            if (!message.has("status")) {
                message.put("status", "completed");
            }
        }
    }

    /**
     * One response. Its events are produced one by one as time passes (one per scenario delay, on a
     * virtual thread, whoever listens), kept, and replayed to every stream that asks; retrieve sees the
     * status reached so far. A cancel stops production: streams end after the last event produced
     * (there is no {@code response.cancelled} event in the API), and the response says {@code cancelled}.
     */
    private final class StoredResponse {
        final String id;
        final ObjectNode request;
        final Conversation conversation;
        final FakeResponsesScenario scenario;
        final boolean background;
        final long createdAt = now();
        final List<ObjectNode> events = new ArrayList<>();
        final ArrayNode output = FakeResponsesScenario.JSON.createArrayNode();
        final AtomicBoolean dropped = new AtomicBoolean();
        final AtomicBoolean delivered = new AtomicBoolean();
        String status;
        long nextSequence;
        boolean finished;

        StoredResponse(String id, ObjectNode request, Conversation conversation, FakeResponsesScenario scenario) {
            this.id = id;
            this.request = request;
            this.conversation = conversation;
            this.scenario = scenario;
            this.background = request.path("background").asBoolean(false);
            // A background response waits in a queue first; a plain one starts at once.
            this.status = background ? "queued" : "in_progress";
        }

        /** Produces every event at once (a plain, non-streamed request). */
        void produceAll() {
            while (produceNext()) {
                // next
            }
        }

        /** Produces the events one per scenario delay, until the last one or a cancel. */
        void produceOverTime() {
            do {
                sleep(scenario.delay());
            } while (produceNext());
        }

        /** Produces the next event; false when there is none left to produce. */
        private synchronized boolean produceNext() {
            if (finished) {
                return false;
            }
            if (events.size() == scenario.events().size()) {
                finish();
                return false;
            }
            ObjectNode event = scenario.events().get(events.size()).deepCopy();
            if (!event.has("sequence_number")) {
                event.put("sequence_number", nextSequence);
            }
            nextSequence = event.path("sequence_number").asLong() + 1;
            apply(event);
            events.add(event);
            if (events.size() == scenario.events().size()) {
                finish();
            }
            notifyAll();
            return !finished;
        }

        /** The response is done: what it produced joins its conversation. */
        private void finish() {
            finished = true;
            if (conversation != null) {
                synchronized (conversation) {
                    output.forEach(item -> {
                        if (!item.isNull()) {
                            conversation.add(item.deepCopy());
                        }
                    });
                }
            }
            notifyAll();
        }

        private void apply(ObjectNode event) {
            String type = event.path("type").asText();
            switch (type) {
                case "response.created" -> status = background ? "queued" : "in_progress";
                case "response.queued" -> status = "queued";
                case "response.in_progress" -> status = "in_progress";
                case "response.completed" -> status = "completed";
                case "response.failed" -> status = "failed";
                case "response.incomplete" -> status = "incomplete";
                case "response.output_item.done" -> {
                    int index = event.path("output_index").asInt();
                    while (output.size() <= index) {
                        output.addNull();
                    }
                    output.set(index, event.get("item").deepCopy());
                }
                default -> { }
            }
            if (event.has("response")) {
                ObjectNode given = (ObjectNode) event.get("response");
                ObjectNode snapshot = snapshot(status, type.equals("response.completed") || type.equals("response.incomplete"));
                if (given.has("error")) {
                    snapshot.set("error", given.get("error"));
                }
                if (given.has("incomplete_details")) {
                    snapshot.set("incomplete_details", given.get("incomplete_details"));
                }
                event.set("response", snapshot);
            }
        }

        synchronized ObjectNode snapshot(String status, boolean withUsage) {
            ObjectNode json = FakeResponsesScenario.JSON.createObjectNode()
                    .put("id", id).put("object", "response").put("created_at", createdAt).put("status", status)
                    .put("background", background);
            json.putNull("error");
            json.putNull("incomplete_details");
            json.set("instructions", request.path("instructions").isMissingNode() ? null : request.get("instructions"));
            json.putNull("max_output_tokens");
            json.put("model", request.path("model").asText("gpt-4.1-mini"));
            json.set("output", status.equals("queued") ? FakeResponsesScenario.JSON.createArrayNode() : compactOutput());
            json.put("parallel_tool_calls", request.path("parallel_tool_calls").asBoolean(true));
            json.set("previous_response_id", request.get("previous_response_id"));
            if (conversation != null) {
                json.putObject("conversation").put("id", conversation.id);
            }
            if (request.has("prompt")) {
                json.set("prompt", request.get("prompt"));
            }
            json.putObject("reasoning").putNull("effort").putNull("summary");
            json.put("store", request.path("store").asBoolean(true));
            json.put("temperature", request.path("temperature").asDouble(1.0));
            json.putObject("text").putObject("format").put("type", "text");
            json.set("tool_choice", request.has("tool_choice") ? request.get("tool_choice") : json.textNode("auto"));
            json.set("tools", request.has("tools") ? request.get("tools") : FakeResponsesScenario.JSON.createArrayNode());
            json.put("top_p", request.path("top_p").asDouble(1.0));
            json.put("truncation", "disabled");
            if (withUsage) {
                ObjectNode usage = json.putObject("usage").put("input_tokens", 37).put("output_tokens", 11).put("total_tokens", 48);
                usage.putObject("input_tokens_details").put("cached_tokens", 0);
                usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
            } else {
                json.putNull("usage");
            }
            json.putNull("user");
            json.set("metadata", request.has("metadata") ? request.get("metadata") : FakeResponsesScenario.JSON.createObjectNode());
            return json;
        }

        private ArrayNode compactOutput() {
            ArrayNode compact = FakeResponsesScenario.JSON.createArrayNode();
            output.forEach(item -> {
                if (!item.isNull()) {
                    compact.add(item);
                }
            });
            return compact;
        }

        /** What a retrieve answers now: the terminal snapshot once there is one, else the status so far. */
        synchronized ObjectNode currentSnapshot() {
            if (finished && !status.equals("cancelled")) {
                for (int i = events.size() - 1; i >= 0; i--) {
                    if (events.get(i).has("response")) {
                        return (ObjectNode) events.get(i).get("response");
                    }
                }
            }
            return snapshot(status, false);
        }

        /**
         * The event at {@code index}, waiting until it is produced; null when no more will be
         * (the last one was produced, or the response was cancelled).
         */
        synchronized ObjectNode awaitEvent(int index) {
            while (index >= events.size() && !finished) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return null;
                }
            }
            return index < events.size() ? events.get(index) : null;
        }

        /**
         * Stops production and marks the response cancelled; a response already finished keeps its
         * status, as with the real API. Streams end after the last event produced.
         */
        synchronized ObjectNode cancel() {
            if (finished) {
                return currentSnapshot();
            }
            status = "cancelled";
            finished = true;
            if (conversation != null) {
                synchronized (conversation) {
                    // What was said before the cancel stays; calls it started wait for nothing.
                    output.forEach(item -> {
                        if (!item.isNull() && !"function_call".equals(item.path("type").asText())) {
                            conversation.add(item.deepCopy());
                        }
                    });
                }
            }
            notifyAll();
            return snapshot(status, false);
        }
    }
}
