package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.runrelay.adapter.websocket.RunsWebSocketMetrics;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * In the assembled app, each streamed run is one Observation: a timer tagged with its final status, and a
 * trace whose id the adapter's log lines about that stream carry (Micrometer Tracing over OpenTelemetry).
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=200",
            "logging.level.dev.runrelay.adapter.websocket.RunsWebSocketMetrics=DEBUG"
        })
class RunStreamObservationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger metricsLogger = (Logger) LoggerFactory.getLogger(RunsWebSocketMetrics.class);

    @BeforeEach
    void captureLogs() {
        logLines.start();
        metricsLogger.addAppender(logLines);
    }

    @AfterEach
    void releaseLogs() {
        metricsLogger.detachAppender(logLines);
    }

    @Test
    void eachStream_isTimedByFinalStatus_andItsLogLinesCarryItsOwnTraceId() {
        try (var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"))) {
            client.send("""
                    {"type":"run","requestId":"obs1","assistantId":"asst_demo","input":"Hello there"}""");
            assertThat(text(client.stream("obs1", TIMEOUT).getLast(), "status")).isEqualTo("completed");
            client.send("""
                    {"type":"run","requestId":"obs2","assistantId":"asst_demo","input":"Hello again"}""");
            assertThat(text(client.stream("obs2", TIMEOUT).getLast(), "status")).isEqualTo("completed");
        }

        await().atMost(TIMEOUT).untilAsserted(() -> {
            Timer timer = meters.find("runrelay.run.stream").tag("status", "completed").tag("operation", "thread_and_run")
                    .timer();
            assertThat(timer).isNotNull();
            assertThat(timer.count()).isEqualTo(2);
        });
        String first = traceIdOfTheEndOf("obs1");
        String second = traceIdOfTheEndOf("obs2");
        assertThat(first).matches("[0-9a-f]{32}");
        assertThat(second).matches("[0-9a-f]{32}").isNotEqualTo(first);
    }

    private String traceIdOfTheEndOf(String requestId) {
        List<ILoggingEvent> ends = logLines.list.stream()
                .filter(line -> line.getFormattedMessage().contains("request " + requestId + ": stream ended"))
                .toList();
        assertThat(ends).as("the end of " + requestId).hasSize(1);
        return ends.getFirst().getMDCPropertyMap().get("traceId");
    }
}
