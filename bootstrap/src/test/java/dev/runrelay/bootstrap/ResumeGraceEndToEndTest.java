package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * {@code resume-grace}: a run whose socket dropped streams on into its log for the grace, and is cancelled
 * at the provider only if nobody resumed it. The sandbox story takes about 8 s at 20 deltas/s, far longer
 * than the 1 s grace.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=20",
            "runrelay.websocket.resume-grace=1s"
        })
class ResumeGraceEndToEndTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    private final List<RunsWebSocketTestClient> clients = new ArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(RunsWebSocketTestClient::close);
    }

    private RunsWebSocketTestClient connect() {
        var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"));
        clients.add(client);
        return client;
    }

    @Test
    void droppedSocket_nobodyResumes_theRunIsCancelledAfterTheGrace_andItsLogEnds() throws InterruptedException {
        var first = connect();
        first.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"tell me a long story"}""");
        List<JsonNode> before = ResumeAssertions.framesUntilChunks(first, "r1", 3, TIMEOUT);
        first.abort();
        String threadId = text(before.getLast(), "threadId");
        String runId = text(before.getLast(), "runId");

        var reader = connect();
        Thread.sleep(300);
        assertThat(status(reader, threadId, runId, "g1")).as("within the grace").isEqualTo("in_progress");
        String status = awaitStatusNot(reader, threadId, runId, "in_progress");
        assertThat(status).isIn("cancelling", "cancelled");

        reader.send("""
                {"type":"resume","requestId":"late","runId":"%s","afterSeq":%d}"""
                .formatted(runId, before.getLast().path("seq").asLong()));
        List<JsonNode> rest = reader.stream("late", TIMEOUT);
        ResumeAssertions.assertContinues(before, rest);
        assertThat(text(rest.getLast(), "error")).isEqualTo("stream_interrupted");
    }

    @Test
    void droppedSocket_resumedWithinTheGrace_runsToItsEnd_live() {
        var first = connect();
        first.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"tell me a long story"}""");
        List<JsonNode> before = ResumeAssertions.framesUntilChunks(first, "r1", 3, TIMEOUT);
        first.abort();

        var second = connect();
        second.send("""
                {"type":"resume","requestId":"again","runId":"%s","afterSeq":%d}"""
                .formatted(text(before.getLast(), "runId"), before.getLast().path("seq").asLong()));
        List<JsonNode> after = second.stream("again", TIMEOUT);

        ResumeAssertions.assertContinues(before, after);
        assertThat(text(after.getLast(), "status")).isEqualTo("completed");
        ResumeAssertions.assertTextComplete(before, after);
    }

    static String status(RunsWebSocketTestClient client, String threadId, String runId, String requestId) {
        client.send("""
                {"type":"get_run","requestId":"%s","threadId":"%s","runId":"%s"}""".formatted(requestId, threadId, runId));
        return text(client.reply(requestId).path("data"), "status");
    }

    static String awaitStatusNot(RunsWebSocketTestClient client, String threadId, String runId, String not)
            throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        for (int i = 0; System.nanoTime() < deadline; i++) {
            String status = status(client, threadId, runId, "s" + i);
            if (!not.equals(status)) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("status stayed " + not);
    }
}
