package dev.runrelay.bench;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The Responses + Conversations half of {@link FakeOpenAiUpstream}: {@code POST /v1/conversations},
 * {@code POST /v1/conversations/{id}/items}, {@code POST /v1/responses} (streamed: {@code response.created},
 * {@code response.in_progress}, {@code response.output_item.added}, {@code response.content_part.added}, one
 * {@code response.output_text.delta} per token, {@code response.output_text.done},
 * {@code response.content_part.done}, {@code response.output_item.done}, {@code response.completed}, each with
 * its {@code sequence_number}), {@code GET /v1/responses/{id}} and {@code POST /v1/responses/{id}/cancel}.
 */
final class FakeResponses {

    private static final Pattern CONVERSATION = Pattern.compile("\"conversation\"\\s*:\\s*(?:\\{\\s*\"id\"\\s*:\\s*)?\"([^\"]+)\"");

    private final int defaultDeltas;
    private final int defaultIntervalMs;
    private final AtomicLong ids;
    private final Map<String, String> conversationOfResponse = new ConcurrentHashMap<>();

    private final StreamLog log;

    FakeResponses(int defaultDeltas, int defaultIntervalMs, AtomicLong ids, StreamLog log) {
        this.defaultDeltas = defaultDeltas;
        this.defaultIntervalMs = defaultIntervalMs;
        this.ids = ids;
        this.log = log;
    }

    Publisher<Void> createConversation(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> FakeOpenAiUpstream.json(res, """
                {"id":"conv_%d","object":"conversation","created_at":%d,"metadata":{}}"""
                .formatted(ids.incrementAndGet(), FakeOpenAiUpstream.epochSeconds())));
    }

    Publisher<Void> createItems(HttpServerRequest req, HttpServerResponse res) {
        return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> FakeOpenAiUpstream.json(res,
                "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"));
    }

    Publisher<Void> retrieve(HttpServerRequest req, HttpServerResponse res) {
        String id = req.param("responseId");
        // Resuming a stream (?stream=true&starting_after=N) is not simulated: the bench's streams never break.
        log.note("GET " + req.uri());
        return FakeOpenAiUpstream.json(res, responseJson(id, conversationOfResponse.getOrDefault(id, "conv_0"),
                "completed", "[]", 0));
    }

    Publisher<Void> cancel(HttpServerRequest req, HttpServerResponse res) {
        String id = req.param("responseId");
        log.note("POST " + req.uri());
        return FakeOpenAiUpstream.json(res, responseJson(id, conversationOfResponse.getOrDefault(id, "conv_0"),
                "cancelled", "[]", -1));
    }

    Publisher<Void> createResponse(HttpServerRequest req, HttpServerResponse res) {
        EventLoop loop = FakeOpenAiUpstream.eventLoopOf(req);
        return req.receive().aggregate().asString().defaultIfEmpty("").flatMap(body -> {
            long n = ids.incrementAndGet();
            String responseId = "resp_" + n;
            Matcher conversation = CONVERSATION.matcher(body);
            String conversationId = conversation.find() ? conversation.group(1) : "conv_none";
            conversationOfResponse.put(responseId, conversationId);
            if (!FakeOpenAiUpstream.STREAM_TRUE.matcher(body).find()) {
                return FakeOpenAiUpstream.json(res, responseJson(responseId, conversationId, "queued", "[]", -1));
            }
            int deltas = defaultDeltas;
            int intervalMs = defaultIntervalMs;
            Matcher pace = FakeOpenAiUpstream.PACE.matcher(body);
            if (pace.find()) {
                deltas = Integer.parseInt(pace.group(1));
                intervalMs = Integer.parseInt(pace.group(2));
            }
            return res.status(HttpResponseStatus.OK)
                    .header("content-type", "text/event-stream; charset=utf-8")
                    .header("cache-control", "no-cache")
                    .sendString(stream(responseId, conversationId, "msg_" + n, deltas, intervalMs, loop),
                            StandardCharsets.UTF_8)
                    .then();
        });
    }

    private Flux<String> stream(String responseId, String conversationId, String itemId, int deltas, int intervalMs,
            EventLoop loop) {
        StringBuilder fullText = new StringBuilder(deltas * 24);
        long[] sequence = {0};
        Flux<String> preamble = Flux.defer(() -> {
            StringBuilder out = new StringBuilder(4096);
            event(out, "response.created", sequence, "\"response\":"
                    + responseJson(responseId, conversationId, "queued", "[]", -1));
            event(out, "response.in_progress", sequence, "\"response\":"
                    + responseJson(responseId, conversationId, "in_progress", "[]", -1));
            event(out, "response.output_item.added", sequence, "\"output_index\":0,\"item\":"
                    + messageItem(itemId, "in_progress", null));
            event(out, "response.content_part.added", sequence, """
                    "item_id":"%s","output_index":0,"content_index":0,"part":%s""".formatted(itemId, textPart("")));
            return Flux.just(out.toString());
        });
        // Built once per run: the fake must stay cheap, it shares the machine's two cores with the app.
        String before = "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\","
                + "\"sequence_number\":";
        String middle = ",\"item_id\":\"" + itemId + "\",\"output_index\":0,\"content_index\":0,\"delta\":\"";
        String after = "\",\"logprobs\":[]}\n\n";
        Flux<String> body = FakeOpenAiUpstream.deltas(deltas, intervalMs, loop, k -> {
            String text = FakeOpenAiUpstream.deltaText(k);
            fullText.append(text);
            return new StringBuilder(before.length() + middle.length() + text.length() + after.length() + 8)
                    .append(before).append(sequence[0]++).append(middle).append(text).append(after).toString();
        });
        Flux<String> epilogue = Flux.defer(() -> {
            String text = fullText.toString();
            StringBuilder out = new StringBuilder(text.length() * 4 + 4096);
            event(out, "response.output_text.done", sequence, """
                    "item_id":"%s","output_index":0,"content_index":0,"text":"%s","logprobs":[]"""
                    .formatted(itemId, text));
            event(out, "response.content_part.done", sequence, """
                    "item_id":"%s","output_index":0,"content_index":0,"part":%s""".formatted(itemId, textPart(text)));
            String item = messageItem(itemId, "completed", text);
            event(out, "response.output_item.done", sequence, "\"output_index\":0,\"item\":" + item);
            event(out, "response.completed", sequence, "\"response\":"
                    + responseJson(responseId, conversationId, "completed", "[" + item + "]", deltas));
            return Flux.just(out.toString());
        });
        return log.watch(responseId, Flux.concat(preamble, body, epilogue));
    }

    private static void event(StringBuilder out, String type, long[] sequence, String fields) {
        FakeOpenAiUpstream.sse(out, type,
                "{\"type\":\"" + type + "\",\"sequence_number\":" + sequence[0]++ + "," + fields + "}");
    }

    private static String textPart(String text) {
        return "{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[],\"logprobs\":[]}";
    }

    private static String messageItem(String itemId, String status, String text) {
        return """
                {"id":"%s","type":"message","status":"%s","role":"assistant","content":[%s]}"""
                .formatted(itemId, status, text == null ? "" : textPart(text));
    }

    private static String responseJson(String id, String conversationId, String status, String output,
            int outputTokens) {
        String usage = outputTokens < 0 ? "null" : """
                {"input_tokens":12,"input_tokens_details":{"cached_tokens":0},"output_tokens":%d,\
                "output_tokens_details":{"reasoning_tokens":0},"total_tokens":%d}"""
                .formatted(outputTokens, outputTokens + 12);
        return """
                {"id":"%s","object":"response","created_at":%d,"status":"%s","background":true,\
                "conversation":{"id":"%s"},"error":null,"incomplete_details":null,"instructions":null,\
                "max_output_tokens":null,"model":"gpt-4.1-mini","output":%s,"parallel_tool_calls":true,\
                "previous_response_id":null,"reasoning":{"effort":null,"summary":null},"store":true,\
                "temperature":1.0,"text":{"format":{"type":"text"}},"tool_choice":"auto","tools":[],"top_p":1.0,\
                "truncation":"disabled","usage":%s,"user":null,"metadata":{}}"""
                .formatted(id, FakeOpenAiUpstream.epochSeconds(), status, conversationId, output, usage);
    }
}
