package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** resume-grace 0 (the default) keeps the old behaviour: a dropped socket cancels at once; its log ends there. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=20"
        })
class ResumeWithoutGraceEndToEndTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Test
    void droppedSocket_cancelsAtOnce_andAResumeReplaysToTheInterruption() throws InterruptedException {
        URI uri = URI.create("ws://127.0.0.1:" + port + "/ws/runs");
        List<JsonNode> before;
        try (var first = RunsWebSocketTestClient.connect(uri)) {
            first.send("""
                    {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"tell me a long story"}""");
            before = ResumeAssertions.framesUntilChunks(first, "r1", 3, TIMEOUT);
            first.abort();
        }
        String threadId = text(before.getLast(), "threadId");
        String runId = text(before.getLast(), "runId");

        try (var reader = RunsWebSocketTestClient.connect(uri)) {
            String status = ResumeGraceEndToEndTest.awaitStatusNot(reader, threadId, runId, "in_progress");
            assertThat(status).isIn("cancelling", "cancelled");
            reader.send("""
                    {"type":"resume","requestId":"late","runId":"%s","afterSeq":0}""".formatted(runId));
            List<JsonNode> replayed = reader.stream("late", TIMEOUT);

            assertThat(replayed.getFirst().path("seq").asLong()).isEqualTo(1);
            assertThat(replayed.size()).isGreaterThanOrEqualTo(before.size() + 2);
            assertThat(text(replayed.getLast(), "error")).isEqualTo("stream_interrupted");
        }
    }
}
