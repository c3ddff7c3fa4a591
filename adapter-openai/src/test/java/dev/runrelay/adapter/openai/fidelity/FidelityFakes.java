package dev.runrelay.adapter.openai.fidelity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Both fake OpenAI servers set up for the fidelity test ({@code src/test/fidelity}), in which the
 * official OpenAI Node SDK checks that they behave like the real API. The Assistants fake answers fixed
 * routes (a thread id names the scenario); the Responses fake takes its next scenario from a small
 * control endpoint, {@code POST /enqueue} with e.g. {@code {"fixture": "file-search.sse"}} or
 * {@code {"text": 5, "delayMs": 50, "dropAfter": 3, "errorStatus": 429, "headers": {...}}}.
 */
public final class FidelityFakes implements AutoCloseable {

    /** Assistants fixtures the SDK's stream helper must accept (the malformed one and the error event are for failures). */
    public static final List<String> ASSISTANTS_FIXTURES = List.of("cancelled-run.sse", "code-interpreter-run.sse",
            "expired-run.sse", "failed-run.sse", "file-search-run.sse", "function-call-continued.sse",
            "function-call-run.sse", "incomplete-run.sse", "text-run.sse");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final FakeAssistantsServer assistants = FakeAssistantsServer.start();
    private final FakeResponsesServer responses = FakeResponsesServer.start();
    private final HttpServer control;

    private FidelityFakes() throws IOException {
        assistants.onStream("POST", "/threads/thread_text/runs", new FakeResponse.Generated((path, number) ->
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_text", "run_text" + number, 5, false))));
        assistants.onStream("POST", "/threads/thread_drop/runs", new FakeResponse.Generated((path, number) ->
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_drop", "run_drop" + number, 10, false))
                        .droppingAfter(8)));
        for (String fixture : ASSISTANTS_FIXTURES) {
            assistants.onStream("POST", "/threads/thread_" + fixture.replace(".sse", "").replace('-', '_') + "/runs",
                    FakeResponse.sseFixture(fixture));
        }
        assistants.on("GET", "/threads/thread_list/runs", FakeResponse.listed(IntStream.rangeClosed(1, 5)
                .mapToObj(i -> AssistantsJson.run("run_" + i, "thread_list", "completed", null)).toList()));
        assistants.on("GET", "/threads/thread_text/runs/run_steps/steps", FakeResponse.listed(List.of(
                AssistantsJson.messageStep("step_1", "run_steps", "thread_text", "msg_1", "completed"),
                AssistantsJson.messageStep("step_2", "run_steps", "thread_text", "msg_2", "in_progress"))));

        control = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        control.createContext("/enqueue", this::enqueue);
        control.start();
    }

    public static FidelityFakes start() {
        try {
            return new FidelityFakes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fidelity fakes", e);
        }
    }

    /** The environment the Node test reads. */
    public Map<String, String> environment() {
        return Map.of("FAKE_ASSISTANTS_URL", assistants.baseUrl(), "FAKE_RESPONSES_URL", responses.baseUrl(),
                "FAKE_CONTROL_URL", "http://127.0.0.1:" + control.getAddress().getPort());
    }

    private void enqueue(HttpExchange exchange) throws IOException {
        try (exchange) {
            int status = 204;
            try {
                responses.enqueue(scenario(JSON.readTree(exchange.getRequestBody().readAllBytes())));
            } catch (RuntimeException | IOException e) {
                status = 400;
            }
            exchange.sendResponseHeaders(status, -1);
        }
    }

    private static FakeResponsesScenario scenario(JsonNode spec) {
        FakeResponsesScenario scenario;
        if (spec.has("fixture")) {
            scenario = FakeResponsesScenario.fixture(spec.get("fixture").asText());
        } else if (spec.has("errorStatus")) {
            scenario = FakeResponsesScenario.error(spec.get("errorStatus").asInt(), "requests", "rate_limit_exceeded",
                    "Rate limit reached. Please try again later.");
        } else {
            scenario = FakeResponsesScenario.text(spec.path("text").asInt(5), Duration.ZERO);
        }
        if (spec.has("delayMs")) {
            scenario = scenario.withDelay(Duration.ofMillis(spec.get("delayMs").asLong()));
        }
        if (spec.has("dropAfter")) {
            scenario = scenario.droppingAfter(spec.get("dropAfter").asInt());
        }
        if (spec.has("headers")) {
            Map<String, String> headers = new HashMap<>();
            spec.get("headers").properties().forEach(entry -> headers.put(entry.getKey(), entry.getValue().asText()));
            scenario = scenario.withHeaders(headers);
        }
        return scenario;
    }

    @Override
    public void close() {
        control.stop(0);
        assistants.close();
        responses.close();
    }

    /** Prints the environment as {@code NAME=value} lines, then serves until killed. */
    public static void main(String[] args) throws InterruptedException {
        FidelityFakes fakes = start();
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(fakes::close));
        fakes.environment().forEach((name, value) -> System.out.println(name + "=" + value));
        System.out.flush();
        Thread.currentThread().join();
    }
}
