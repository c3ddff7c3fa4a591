package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;

/** Shutdown lets running streams finish, then closes sockets with 1001; a stream outliving the grace period is cut. */
class RunsWebSocketShutdownIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void shutdown_letsTheStreamEnd_refusesNewRuns_thenClosesWith1001() throws Exception {
        try (var server = TestServer.start()) {
            var client = server.connect();
            var idle = server.connect();
            client.send("{\"type\":\"run\",\"requestId\":\"s1\",\"assistantId\":\"asst_slow\",\"threadId\":\"thread_1\"}");
            client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);

            var shutdown = server.handler().shutdown(Duration.ofSeconds(10));
            client.send("{\"type\":\"run\",\"requestId\":\"s2\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");
            JsonNode refused = client.reply("s2");
            List<JsonNode> frames = client.stream("s1");

            assertThat(text(refused, "code")).isEqualTo("shutting_down");
            assertThat(refused.get("retryable").asBoolean()).isTrue();
            assertWellFormedStream(frames);
            assertThat(text(frames.getLast(), "status")).isEqualTo("completed");
            StepVerifier.create(shutdown).expectComplete().verify(TIMEOUT);
            assertThat(client.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(idle.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
            assertThat(server.fakes.cancelCalls).isEmpty();
        }
    }

    @Test
    void applicationClose_cutsStreamsOutlivingTheGracePeriod_with1001() throws Exception {
        var server = TestServer.start("runrelay.websocket.shutdown-grace-period=300ms");
        var client = server.connect();
        client.send("{\"type\":\"run\",\"requestId\":\"n1\",\"assistantId\":\"asst_endless\",\"threadId\":\"thread_1\"}");
        client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);

        long started = System.nanoTime();
        server.close();

        assertThat(client.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        server.fakes.upstreamCancelled("run_endless").get(1, TimeUnit.SECONDS);
        assertThat(server.fakes.cancelCalls).hasSize(1);
    }

    @Test
    void streamOutlivingTheGracePeriod_getsErrorShuttingDown_thenEnd_thenClose1001() throws Exception {
        var server = TestServer.start("runrelay.websocket.shutdown-grace-period=300ms");
        var client = server.connect();
        client.send("{\"type\":\"run\",\"requestId\":\"n1\",\"assistantId\":\"asst_endless\",\"threadId\":\"thread_1\"}");
        client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);
        // What the client had read when the close frame arrived (the listener sees frames in order).
        var readAtClose = client.closeCode().thenApply(code -> client.frames());

        server.close();

        assertThat(client.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1001);
        List<JsonNode> stream = readAtClose.get(1, TimeUnit.SECONDS).stream()
                .filter(frame -> "n1".equals(text(frame, "requestId"))).toList();
        assertWellFormedStream(stream);
        JsonNode error = stream.get(stream.size() - 2);
        assertThat(text(error, "type")).isEqualTo("error");
        assertThat(text(error, "code")).isEqualTo("shutting_down");
        assertThat(error.get("retryable").asBoolean()).isTrue();
        assertThat(text(stream.getLast(), "type")).isEqualTo("end");
        assertThat(text(stream.getLast(), "error")).isEqualTo("shutting_down");
        server.fakes.upstreamCancelled("run_endless").get(1, TimeUnit.SECONDS);
        assertThat(server.fakes.cancelCalls).hasSize(1);
    }
}
