package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static dev.runrelay.bootstrap.OpenAiAssistantsFailuresWebSocketTest.assertFailedThenFinal;
import static dev.runrelay.bootstrap.OpenAiAssistantsFailuresWebSocketTest.assertNoLeaks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
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
 * What a client gets over the real socket when the OpenAI Responses provider (its fake server) fails:
 * every broken stream ends with an {@code error} frame and a final {@code end.status}; a cancelled run
 * ends cancelled even without a {@code response.cancelled} event; refusals before the first event are
 * retried on new and existing threads.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai",
            "runrelay.openai.responses.resume-backoff=10ms",
            "runrelay.recovery.poll-interval=50ms", "runrelay.recovery.max-wait=500ms",
            "runrelay.resilience.timeouts.idle=1s", "runrelay.resilience.retry.initial-backoff=20ms"})
class OpenAiResponsesFailuresWebSocketTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final FakeResponsesServer FAKE = FakeResponsesServer.start();

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

    @Test
    void dropOnEveryDelivery_resumptionGivenUp_isErrorThenAFinalEnd() {
        // 48 events, 4 per delivery: more deliveries than the 3 resumes allowed.
        FAKE.enqueue(FakeResponsesScenario.text(40, Duration.ZERO).droppingEveryDeliveryAfter(4));

        List<JsonNode> stream = run("d1", null);

        // The fake's drop is noticed by the client late (issue 11 item 7): the idle limit may come first.
        assertWellFormedStream(stream);
        assertThat(types(stream)).endsWith("error", "end");
        assertThat(text(stream.get(stream.size() - 2), "code")).isIn("stream_interrupted", "timeout");
        assertThat(text(stream.getLast(), "status")).isIn(OpenAiAssistantsFailuresWebSocketTest.FINAL);
        assertNoLeaks(stream);
    }

    @Test
    void drop_thenTheResponseCompletedMeanwhile_deliversTheFinalMessage_thenErrorAndEndCompleted() {
        // Every delivery breaks after 4 events (resumption is given up) while the response completes.
        FAKE.enqueue(FakeResponsesScenario.text(40, Duration.ZERO).droppingEveryDeliveryAfter(4));

        List<JsonNode> stream = run("d2", null);

        assertWellFormedStream(stream);
        assertThat(types(stream)).endsWith("error", "end");
        assertThat(text(stream.get(stream.size() - 2), "code")).isIn("stream_interrupted", "timeout");
        assertThat(text(stream.getLast(), "status")).isEqualTo("completed");
        OpenAiAssistantsFailuresWebSocketTest.assertFinalAnswerBeforeTheError(stream, words(40));
        assertNoLeaks(stream);
    }

    @Test
    void stallAfterTheFirstDeltas_isTimeoutAtTheIdleLimit_thenTheFinalMessage_andEndCompleted() {
        // 6 events (two deltas), then 6 s of silence on the connection while the response completes.
        FAKE.enqueue(FakeResponsesScenario.text(8, Duration.ZERO).stallingAfter(6, Duration.ofSeconds(6)));

        long start = System.nanoTime();
        List<JsonNode> stream = run("s1", null);

        assertFailedThenFinal(stream, "timeout", "completed");
        assertThat(types(stream)).contains("chunk");
        OpenAiAssistantsFailuresWebSocketTest.assertFinalAnswerBeforeTheError(stream, words(8));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("noticed at the idle limit, not the stall's end")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void malformedData_isStreamInterrupted_thenTheFinalMessage_andEndCompleted() {
        // After 6 events (two deltas) an event whose data is not JSON; the response itself completes.
        FAKE.enqueue(FakeResponsesScenario.text(8, Duration.ZERO).malformedAfter(6));

        List<JsonNode> stream = run("m1", null);

        assertFailedThenFinal(stream, "stream_interrupted", "completed");
        assertThat(types(stream)).contains("chunk");
        OpenAiAssistantsFailuresWebSocketTest.assertFinalAnswerBeforeTheError(stream, words(8));
    }

    /** The fake's text answer of {@code count} fragments. */
    private static String words(int count) {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append('w').append(i).append(' ');
        }
        return text.toString();
    }

    @Test
    void errorEvent_keepsItsCode_andEndsFailed() {
        FAKE.enqueue(FakeResponsesScenario.text(5, Duration.ZERO).inserting(5,
                "{\"type\":\"error\",\"code\":\"server_error\",\"message\":\"The server had an error.\",\"param\":null}"));

        List<JsonNode> stream = run("e1", null);

        assertFailedThenFinal(stream, "provider_unavailable", "failed");
    }

    @Test
    void cancelledRun_whoseStreamEndsWithoutResponseCancelled_endsCancelled() {
        FAKE.enqueue(FakeResponsesScenario.text(100, Duration.ofMillis(30)));
        client.send("{\"type\":\"run\",\"requestId\":\"c1\",\"assistantId\":\"default\",\"input\":\"Hi\"}");
        JsonNode chunk = client.awaitFrame(f -> "c1".equals(text(f, "requestId")) && "chunk".equals(text(f, "type")),
                TIMEOUT);
        client.send("{\"type\":\"cancel\",\"requestId\":\"c2\",\"threadId\":\"%s\",\"runId\":\"%s\"}"
                .formatted(text(chunk, "threadId"), text(chunk, "runId")));

        List<JsonNode> stream = client.stream("c1", TIMEOUT);

        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("cancelled");
        assertThat(text(stream.getLast(), "error")).as("never reported as a broken stream")
                .isNotEqualTo("stream_interrupted");
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void refusedBeforeTheFirstEvent_newThread_isRetried_andCompletesWithTheTextOnce(int status) {
        FAKE.enqueue(FakeResponsesScenario.error(status, "requests", status == 429 ? "rate_limit_exceeded" : null,
                "Rate limit reached for gpt-4.1 in organization org-AbCdEf123456 on requests per min."));
        FAKE.enqueue(FakeResponsesScenario.text(5, Duration.ZERO));

        List<JsonNode> stream = run("n" + status, null);

        assertCompletedWithTheTextOnce(stream);
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void refusedBeforeTheFirstEvent_existingThread_isRetried_andCompletesWithTheTextOnce(int status) {
        FAKE.enqueue(FakeResponsesScenario.text(2, Duration.ZERO));
        String thread = text(run("t" + status, null).getLast(), "threadId");
        FAKE.enqueue(FakeResponsesScenario.error(status, "requests", status == 429 ? "rate_limit_exceeded" : null,
                "Rate limit reached for gpt-4.1 in organization org-AbCdEf123456 on requests per min."));
        FAKE.enqueue(FakeResponsesScenario.text(5, Duration.ZERO));

        List<JsonNode> stream = run("x" + status, thread);

        assertCompletedWithTheTextOnce(stream);
    }

    private List<JsonNode> run(String requestId, String threadId) {
        client.send("{\"type\":\"run\",\"requestId\":\"%s\",\"assistantId\":\"default\",%s\"input\":\"Hi\"}"
                .formatted(requestId, threadId == null ? "" : "\"threadId\":\"" + threadId + "\","));
        return client.stream(requestId, TIMEOUT);
    }

    private static void assertCompletedWithTheTextOnce(List<JsonNode> stream) {
        assertWellFormedStream(stream);
        assertThat(types(stream)).doesNotContain("error");
        assertThat(text(stream.getLast(), "status")).isEqualTo("completed");
        String chunks = stream.stream().filter(f -> "chunk".equals(text(f, "type"))).map(f -> text(f, "message"))
                .reduce("", String::concat);
        JsonNode done = stream.stream().filter(f -> "message_done".equals(text(f, "type"))).findFirst().orElseThrow();
        assertThat(chunks).isNotBlank().isEqualTo(text(done, "text"));
        assertThat(chunks).as("the full text, exactly once").isEqualTo("w0 w1 w2 w3 w4 ");
        assertThat(types(stream).stream().filter("message_done"::equals)).hasSize(1);
        assertNoLeaks(stream);
    }
}
