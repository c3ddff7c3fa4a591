package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static dev.runrelay.bootstrap.OpenAiAssistantsFailuresWebSocketTest.assertFailedThenFinal;
import static dev.runrelay.bootstrap.OpenAiAssistantsFailuresWebSocketTest.assertNoLeaks;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What a client gets over the real socket when a sandbox run goes wrong: the sandbox's own failure
 * scenarios ("interrupt": the stream breaks; "fail": the run fails at the provider). The sandbox has no
 * wire, so unreadable data, stalls and 429/503 cannot happen there.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=sandbox", "runrelay.sandbox.deltas-per-second=200",
            "runrelay.recovery.poll-interval=50ms", "runrelay.recovery.max-wait=500ms"})
class SandboxFailuresWebSocketTest {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    RunsWebSocketTestClient client;

    @BeforeEach
    void connect() {
        client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void brokenStream_isThePartialMessage_theRunsStatusFailed_thenErrorAndEndFailed() {
        List<JsonNode> stream = run("i1", "please interrupt yourself");

        assertFailedThenFinal(stream, "stream_interrupted", "failed");
        String chunks = stream.stream().filter(f -> "chunk".equals(text(f, "type"))).map(f -> text(f, "message"))
                .reduce("", String::concat);
        JsonNode done = stream.stream().filter(f -> "message_done".equals(text(f, "type"))).findFirst().orElseThrow();
        assertThat(chunks).isNotBlank();
        assertThat(text(done, "text")).as("what was written before the break").isEqualTo(chunks);
        assertThat(done.path("incomplete").asBoolean()).isTrue();
        assertThat(types(stream).indexOf("message_done")).isLessThan(types(stream).lastIndexOf("error"));
    }

    @Test
    void runFailedAtTheProvider_endsFailed_withItsLastError() {
        List<JsonNode> stream = run("f1", "please fail");

        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("failed");
        JsonNode failed = stream.stream().filter(f -> "status".equals(text(f, "type")))
                .filter(f -> "failed".equals(text(f, "status"))).findFirst().orElseThrow();
        assertThat(text(failed.path("lastError"), "code")).isEqualTo("server_error");
        assertNoLeaks(stream);
    }

    private List<JsonNode> run(String requestId, String input) {
        client.send("{\"type\":\"run\",\"requestId\":\"%s\",\"assistantId\":\"asst_demo\",\"input\":\"%s\"}"
                .formatted(requestId, input));
        return client.stream(requestId, TIMEOUT);
    }
}
