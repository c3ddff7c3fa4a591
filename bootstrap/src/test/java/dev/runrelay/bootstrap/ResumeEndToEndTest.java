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
 * {@code resume} on one instance with the default store (memory) and a resume grace: the frames a dropped
 * socket missed come back once each, in order, with their original seq and the resume's requestId.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=200",
            "runrelay.websocket.resume-grace=3s"
        })
class ResumeEndToEndTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

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
    void droppedSocket_resumeOnANewOne_getsEveryMissedFrameOnce_andTheEnd() {
        var first = connect();
        first.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"tell me a long story"}""");
        List<JsonNode> before = ResumeAssertions.framesUntilChunks(first, "r1", 5, TIMEOUT);
        first.abort();
        long lastSeen = before.getLast().path("seq").asLong();

        var second = connect();
        second.send("""
                {"type":"resume","requestId":"again","runId":"%s","afterSeq":%d}"""
                .formatted(text(before.getLast(), "runId"), lastSeen));
        List<JsonNode> after = second.stream("again", TIMEOUT);

        ResumeAssertions.assertContinues(before, after);
        assertThat(text(after.getLast(), "status")).isEqualTo("completed");
        ResumeAssertions.assertTextComplete(before, after);
    }

    @Test
    void resumingAnEndedRun_replaysToItsEnd() {
        var client = connect();
        client.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"Hello there"}""");
        List<JsonNode> whole = client.stream("r1", TIMEOUT);

        client.send("""
                {"type":"resume","requestId":"r2","runId":"%s","afterSeq":2}""".formatted(text(whole.getLast(), "runId")));
        List<JsonNode> replayed = client.stream("r2", TIMEOUT);

        assertThat(replayed).hasSize(whole.size() - 2);
        for (int i = 0; i < replayed.size(); i++) {
            JsonNode original = whole.get(i + 2);
            JsonNode again = replayed.get(i);
            assertThat(text(again, "requestId")).isEqualTo("r2");
            assertThat(again.path("seq").asLong()).isEqualTo(original.path("seq").asLong());
            assertThat(text(again, "type")).isEqualTo(text(original, "type"));
            assertThat(text(again, "message")).isEqualTo(text(original, "message"));
        }
    }

    @Test
    void resumingAnUnknownRun_isResumeUnavailable_andTheSocketStaysUsable() {
        var client = connect();
        client.send("""
                {"type":"resume","requestId":"r1","runId":"run_never","afterSeq":0}""");

        JsonNode error = client.reply("r1");

        assertThat(text(error, "type")).isEqualTo("error");
        assertThat(text(error, "code")).isEqualTo("resume_unavailable");
        assertThat(error.has("seq")).isFalse();
        client.send("""
                {"type":"ping","requestId":"p1"}""");
        assertThat(text(client.reply("p1"), "type")).isEqualTo("pong");
    }

    @Test
    void resumeWithoutAfterSeq_isInvalidRequest_namingTheField() {
        var client = connect();
        client.sendNonConforming("""
                {"type":"resume","requestId":"r1","runId":"run_x"}""");

        JsonNode error = client.reply("r1");

        assertThat(text(error, "code")).isEqualTo("invalid_request");
        assertThat(text(error, "field")).isEqualTo("afterSeq");
    }
}
