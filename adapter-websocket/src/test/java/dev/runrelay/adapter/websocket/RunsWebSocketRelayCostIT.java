package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A rough, bounded measure of the server's CPU per relayed event over real sockets: 50 sockets, one
 * run each of 3,000 deltas at 1,000 a second. Counts the CPU of Reactor Netty's event loops and of the
 * threads the (fake) upstream emits on, which is where the relay runs; the JDK clients' threads are not
 * counted. The real benchmark (issue 8) is bench/; this only guards against a gross regression.
 */
class RunsWebSocketRelayCostIT {

    private static final int SOCKETS = 50;
    private static final int DELTAS = 3_000;

    @Test
    void manyStreams_allArriveWhole_atAFewMicrosecondsOfServerCpuPerEvent() {
        try (var server = TestServer.start("runrelay.websocket.outbound-buffer-size=4096")) {
            List<RunsWebSocketTestClient> clients = IntStream.range(0, SOCKETS).mapToObj(i -> server.connect()).toList();
            long cpuBefore = relayThreadsCpuNanos();

            for (int i = 0; i < SOCKETS; i++) {
                clients.get(i).send("{\"type\":\"run\",\"requestId\":\"b" + i
                        + "\",\"assistantId\":\"asst_paced\",\"threadId\":\"thread_1\"}");
            }
            var streams = new ArrayList<List<JsonNode>>();
            for (int i = 0; i < SOCKETS; i++) {
                streams.add(clients.get(i).stream("b" + i, Duration.ofSeconds(60)));
            }
            long cpuNanos = relayThreadsCpuNanos() - cpuBefore;

            long events = 0;
            for (List<JsonNode> frames : streams) {
                assertWellFormedStream(frames);
                assertThat(frames).filteredOn(frame -> "chunk".equals(text(frame, "type"))).hasSize(DELTAS);
                events += frames.size();
            }
            double microsPerEvent = cpuNanos / 1_000.0 / events;
            System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                    "relayed %d events over %d sockets: %.1f µs server CPU per event".formatted(events, SOCKETS,
                            microsPerEvent));
            assertThat(microsPerEvent).isLessThan(100.0);
            clients.forEach(RunsWebSocketTestClient::close);
        }
    }

    /** CPU of the server's event loops and of the scheduler threads the fake upstream emits on. */
    private static long relayThreadsCpuNanos() {
        var threads = ManagementFactory.getThreadMXBean();
        long total = 0;
        for (var info : threads.dumpAllThreads(false, false)) {
            String name = info.getThreadName();
            if (name.startsWith("reactor-http") || name.startsWith("parallel-")) {
                total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }
}
