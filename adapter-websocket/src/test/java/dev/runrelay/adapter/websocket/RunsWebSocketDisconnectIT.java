package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.domain.run.CancelRunCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A client that goes away, or stops reading, costs the server nothing it cannot bound. */
class RunsWebSocketDisconnectIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void disconnectMidStream_cancelsUpstreamWithinASecond_andTheProviderRunByDefault() throws Exception {
        try (var server = TestServer.start()) {
            var client = server.connect();
            startEndlessRun(client);

            long closedAt = System.nanoTime();
            client.abort();

            long cancelledAt = server.fakes.upstreamCancelled("run_endless").get(1, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(cancelledAt - closedAt)).isLessThan(Duration.ofSeconds(1));
            await().atMost(Duration.ofSeconds(1)).untilAsserted(() -> assertThat(server.fakes.cancelCalls)
                    .containsExactly(new CancelRunCommand("thread_1", "run_endless")));
        }
    }

    @Test
    void closeFrameMidStream_cancelsUpstreamWithinASecond() throws Exception {
        try (var server = TestServer.start()) {
            var client = server.connect();
            startEndlessRun(client);

            long closedAt = System.nanoTime();
            client.close();

            long cancelledAt = server.fakes.upstreamCancelled("run_endless").get(1, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(cancelledAt - closedAt)).isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void disconnectMidStream_leavesTheProviderRunAlone_whenConfiguredSo() throws Exception {
        try (var server = TestServer.start("runrelay.websocket.cancel-runs-on-disconnect=false")) {
            var client = server.connect();
            startEndlessRun(client);

            client.abort();

            server.fakes.upstreamCancelled("run_endless").get(1, TimeUnit.SECONDS);
            Thread.sleep(500);
            assertThat(server.fakes.cancelCalls).isEmpty();
        }
    }

    @Test
    void disconnectAfterTheStreamEnded_cancelsNothingAtTheProvider() throws Exception {
        try (var server = TestServer.start()) {
            var client = server.connect();
            client.send("{\"type\":\"run\",\"requestId\":\"t1\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");
            assertWellFormedStream(client.stream("t1"));

            client.abort();

            Thread.sleep(500);
            assertThat(server.fakes.cancelCalls).isEmpty();
        }
    }

    @Test
    void clientThatStopsReading_getsSlowConsumer_andTheUpstreamIsStoppedEarly() throws Exception {
        try (var server = TestServer.start("runrelay.websocket.outbound-buffer-size=256")) {
            var client = server.connect();
            client.pauseReading();

            client.send("{\"type\":\"run\",\"requestId\":\"flood\",\"assistantId\":\"asst_flood\",\"threadId\":\"thread_1\"}");

            server.fakes.upstreamCancelled("run_flood").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            long emitted = server.fakes.floodEmitted.get();
            // Bounded: what the TCP buffers, Netty and the 256-frame buffer could hold, not the million on offer.
            assertThat(emitted).isLessThan(300_000);
            client.resumeReading();
            List<JsonNode> frames = client.stream("flood", TIMEOUT);
            assertWellFormedStream(frames);
            JsonNode error = frames.get(frames.size() - 2);
            assertThat(text(error, "type")).isEqualTo("error");
            assertThat(text(error, "code")).isEqualTo("slow_consumer");
            assertThat(text(frames.getLast(), "error")).isEqualTo("slow_consumer");
            assertThat(frames.size()).isLessThan((int) emitted + 3);
            System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                    "slow consumer: upstream stopped after " + emitted + " events; client got " + frames.size());
            // The socket itself survives, and the provider's run was not cancelled for it.
            client.send("{\"type\":\"ping\",\"requestId\":\"after\"}");
            assertThat(text(client.reply("after"), "type")).isEqualTo("pong");
            assertThat(server.fakes.cancelCalls).isEmpty();
            client.close();
        }
    }

    /**
     * 1,000 chunks a second, 20 times a model's pace. The buffer (4,096 frames, 4 s at this pace) leaves
     * room for a test JVM that shares two cores with other builds.
     */
    @Test
    void clientThatKeepsReading_getsAFastStreamWhole() throws Exception {
        try (var server = TestServer.start("runrelay.websocket.outbound-buffer-size=4096")) {
            var client = server.connect();

            client.send("{\"type\":\"run\",\"requestId\":\"fast\",\"assistantId\":\"asst_paced\",\"threadId\":\"thread_1\"}");

            List<JsonNode> frames = client.stream("fast", Duration.ofSeconds(30));
            assertWellFormedStream(frames);
            assertThat(frames).filteredOn(frame -> "chunk".equals(text(frame, "type"))).hasSize(3_000);
            assertThat(text(frames.getLast(), "status")).isEqualTo("completed");
            client.close();
        }
    }

    private static void startEndlessRun(RunsWebSocketTestClient client) {
        client.send("{\"type\":\"run\",\"requestId\":\"n1\",\"assistantId\":\"asst_endless\",\"threadId\":\"thread_1\"}");
        client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);
    }
}
