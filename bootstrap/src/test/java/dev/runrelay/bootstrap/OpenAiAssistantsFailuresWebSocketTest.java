package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.RUNS_OF_THREAD;
import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * What a client gets over the real socket when the OpenAI Assistants provider (its fake server) fails:
 * every broken stream ends with an {@code error} frame and an {@code end} whose status the run keeps,
 * learned from the provider after the break; refusals before the first event are retried.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai-assistants",
            "runrelay.recovery.poll-interval=50ms", "runrelay.recovery.max-wait=500ms",
            "runrelay.resilience.timeouts.idle=1s", "runrelay.resilience.retry.initial-backoff=20ms"})
class OpenAiAssistantsFailuresWebSocketTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    static final FakeAssistantsServer FAKE = FakeAssistantsServer.start();
    static final String RUN_PATH = "/threads/thread_1/runs/run_1";
    static final List<String> FINAL = List.of("completed", "requires_action", "failed", "cancelled", "expired",
            "incomplete");

    @LocalServerPort
    int port;

    RunsWebSocketTestClient client;

    @DynamicPropertySource
    static void pointAtTheFake(DynamicPropertyRegistry registry) {
        registry.add("runrelay.openai.api-key", () -> "sk-test-not-a-real-key");
        registry.add("runrelay.openai.base-url", FAKE::baseUrl);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void connect() {
        client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    /** The answer of the text run on thread_1, as the API lists it once the run completed. */
    static final String FULL_TEXT = "Token0 token1 token2 token3 token4";

    @Test
    void drop_thenTheRunCompletedMeanwhile_deliversTheFinalMessage_thenErrorAndEndCompleted() {
        // 7 frames before the first delta: the client sees two deltas, then the connection breaks.
        FAKE.enqueue("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_1", "run_1", 5, false)).droppingAfter(9));
        FAKE.on("GET", RUN_PATH, FakeResponse.json(200, AssistantsJson.run("run_1", "thread_1", "completed", null)));
        completedRunMessages();

        List<JsonNode> stream = run("d1");

        assertFailedThenFinal(stream, "stream_interrupted", "completed");
        assertThat(types(stream)).contains("chunk");
        assertFinalAnswerBeforeTheError(stream, FULL_TEXT);
    }

    private static void completedRunMessages() {
        FAKE.on("GET", "/threads/thread_1/messages", new FakeResponse.Listed(List.of(
                AssistantsJson.message("msg_run_1", "run_1", "thread_1", "completed", FULL_TEXT))));
    }

    /** One {@code message_done} with the whole answer, after the last chunk and before the error. */
    static void assertFinalAnswerBeforeTheError(List<JsonNode> stream, String fullText) {
        List<String> types = types(stream);
        int done = types.lastIndexOf("message_done");
        assertThat(done).as("a message_done after the last chunk").isGreaterThan(types.lastIndexOf("chunk"));
        assertThat(done).as("the final answer comes before the error").isLessThan(types.lastIndexOf("error"));
        assertThat(text(stream.get(done), "text")).isEqualTo(fullText);
        assertThat(types.stream().filter("message_done"::equals)).hasSize(1);
    }

    @Test
    void malformedData_thenTheRunStillGoing_isCancelled_andEndsCancelled() {
        FAKE.enqueue("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("malformed-data.sse"));
        FAKE.on("GET", "/threads/thread_abc123/runs/run_abc123",
                FakeResponse.json(200, AssistantsJson.run("run_abc123", "thread_abc123", "in_progress", null)));
        FAKE.on("POST", "/threads/thread_abc123/runs/run_abc123/cancel",
                FakeResponse.json(200, AssistantsJson.run("run_abc123", "thread_abc123", "cancelling", null)));

        List<JsonNode> stream = run("m1");

        assertFailedThenFinal(stream, "stream_interrupted", "cancelled");
    }

    @Test
    void errorEvent_keepsItsCode_andEndsWithTheRunsRealStatusFailed() {
        FAKE.enqueue("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("error-event.sse"));
        FAKE.on("GET", "/threads/thread_abc123/runs/run_abc123", FakeResponse.json(200,
                AssistantsJson.run("run_abc123", "thread_abc123", "failed", null).replace("\"last_error\": null",
                        "\"last_error\": {\"code\": \"server_error\", \"message\": \"The server had an error.\"}")));

        List<JsonNode> stream = run("e1");

        assertFailedThenFinal(stream, "provider_unavailable", "failed");
        JsonNode failed = stream.stream().filter(f -> "status".equals(text(f, "type")))
                .filter(f -> "failed".equals(text(f, "status"))).findFirst().orElseThrow();
        assertThat(text(failed.path("lastError"), "code")).isEqualTo("server_error");
    }

    @Test
    void stallAfterTheFirstEvents_isTimeoutAtTheIdleLimit_thenEndCompleted() {
        FAKE.enqueue("POST", RUNS_OF_THREAD, FakeResponse.sse(AssistantsJson.textRunFrames("thread_1", "run_1", 5, false))
                .stallingAfter(5, Duration.ofSeconds(10)));
        FAKE.on("GET", RUN_PATH, FakeResponse.json(200, AssistantsJson.run("run_1", "thread_1", "completed", null)));

        completedRunMessages();

        long start = System.nanoTime();
        List<JsonNode> stream = run("s1");

        assertFailedThenFinal(stream, "timeout", "completed");
        assertFinalAnswerBeforeTheError(stream, FULL_TEXT);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void cancelledRun_endsCancelled() {
        FAKE.enqueue("POST", RUNS_OF_THREAD, FakeResponse.sseFixture("cancelled-run.sse"));

        List<JsonNode> stream = run("c1");

        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("cancelled");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void refusedBeforeTheFirstEvent_existingThread_isRetried_andCompletesWithTheTextOnce(int status) {
        FAKE.enqueue("POST", RUNS_OF_THREAD, FakeResponse.error(status, "requests",
                status == 429 ? "rate_limit_exceeded" : null,
                "Rate limit reached for gpt-4o in organization org-AbCdEf123456 on requests per min.",
                Map.of("retry-after-ms", "50")));
        FAKE.enqueue("POST", RUNS_OF_THREAD,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_1", "run_1", 5, false)));

        List<JsonNode> stream = run("r" + status);

        assertCompletedWithTheTextOnce(stream);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void refusedBeforeTheFirstEvent_newThread_isRetried_andCompletesWithTheTextOnce(int status) {
        FAKE.enqueue("POST", THREAD_AND_RUN, FakeResponse.error(status, "requests", null, "Slow down.",
                Map.of("retry-after", "0")));
        FAKE.enqueue("POST", THREAD_AND_RUN,
                FakeResponse.sse(AssistantsJson.textRunFrames("thread_2", "run_2", 5, true)));

        client.send("{\"type\":\"run\",\"requestId\":\"n%d\",\"assistantId\":\"asst_abc123\",\"input\":\"Hi\"}"
                .formatted(status));
        List<JsonNode> stream = client.stream("n" + status, TIMEOUT);

        assertCompletedWithTheTextOnce(stream);
    }

    private List<JsonNode> run(String requestId) {
        client.send("{\"type\":\"run\",\"requestId\":\"%s\",\"assistantId\":\"asst_abc123\",\"threadId\":\"thread_1\","
                .formatted(requestId) + "\"input\":\"Hi\"}");
        return client.stream(requestId, TIMEOUT);
    }

    static void assertFailedThenFinal(List<JsonNode> stream, String code, String status) {
        assertWellFormedStream(stream);
        assertThat(types(stream)).endsWith("error", "end");
        JsonNode error = stream.get(stream.size() - 2);
        assertThat(text(error, "code")).isEqualTo(code);
        assertThat(text(stream.getLast(), "status")).isIn(FINAL).isEqualTo(status);
        assertNoLeaks(stream);
    }

    static void assertCompletedWithTheTextOnce(List<JsonNode> stream) {
        assertWellFormedStream(stream);
        assertThat(types(stream)).doesNotContain("error");
        assertThat(text(stream.getLast(), "status")).isEqualTo("completed");
        String chunks = stream.stream().filter(f -> "chunk".equals(text(f, "type"))).map(f -> text(f, "message"))
                .reduce("", String::concat);
        assertThat(chunks).isEqualTo("Token0 token1 token2 token3 token4");
        assertThat(types(stream).stream().filter("message_done"::equals)).hasSize(1);
        assertNoLeaks(stream);
    }

    static void assertNoLeaks(List<JsonNode> stream) {
        for (JsonNode frame : stream) {
            String message = text(frame, "message");
            if (message != null && "error".equals(text(frame, "type"))) {
                assertThat(message).doesNotContainPattern("[A-Z][a-z]+Exception").doesNotContain("org-")
                        .doesNotContain("java.").doesNotContain("127.0.0.1");
            }
            assertThat(frame.toString()).doesNotContain("org-AbCdEf123456").doesNotContain("sk-test");
        }
    }
}
