package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.tracing.handler.TracingObservationHandler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * The error-handling aspect's failure line of a stream carries that stream's trace id: the socket adapter puts
 * the stream's Observation into the stream's Reactor context, and the aspect writes its line in the
 * observation's scope, so Micrometer Tracing fills the MDC's {@code traceId}. Before, the aspect logged with no
 * trace id at all (its lines are written on whatever thread the failure arrives on). The same holds for the
 * recovery's line about the broken run ({@code RunRecovery}), which also carries the stream's request id.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=sandbox", "runrelay.sandbox.deltas-per-second=200"})
class StreamFailureTraceIdTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The trace id of each stream's observation, by the request id the client gave it. */
    static final Map<String, String> TRACE_IDS = new ConcurrentHashMap<>();

    @LocalServerPort
    int port;

    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger aspectLogger =
            (Logger) LoggerFactory.getLogger("dev.runrelay.bootstrap.resilience.FailureReporter");
    private final Logger recoveryLogger =
            (Logger) LoggerFactory.getLogger("dev.runrelay.application.recovery.RunRecovery");

    @BeforeEach
    void captureLogs() {
        logLines.start();
        aspectLogger.addAppender(logLines);
        recoveryLogger.addAppender(logLines);
    }

    @AfterEach
    void releaseLogs() {
        aspectLogger.detachAppender(logLines);
        recoveryLogger.detachAppender(logLines);
    }

    @Test
    void theRecoverysLineAboutABrokenRun_carriesTheTraceIdAndTheRequestIdOfThatStream() {
        try (var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"))) {
            client.send("""
                    {"type":"run","requestId":"fine-r","assistantId":"asst_demo","input":"Hello there"}""");
            assertThat(text(client.stream("fine-r", TIMEOUT).getLast(), "type")).isEqualTo("end");
            client.send("""
                    {"type":"run","requestId":"broken-r","assistantId":"asst_demo","input":"please interrupt"}""");
            assertThat(text(client.stream("broken-r", TIMEOUT).getLast(), "type")).isEqualTo("end");
        }

        await().atMost(TIMEOUT).until(() -> TRACE_IDS.containsKey("broken-r") && TRACE_IDS.containsKey("fine-r"));
        await().atMost(TIMEOUT).until(() -> recovered().size() == 1);
        var line = recovered().getFirst().getMDCPropertyMap();
        assertThat(line.get("traceId")).matches("[0-9a-f]{32}")
                .isEqualTo(TRACE_IDS.get("broken-r"))
                .isNotEqualTo(TRACE_IDS.get("fine-r"));
        assertThat(line.get("requestId")).isEqualTo("broken-r");
    }

    private List<ILoggingEvent> recovered() {
        return List.copyOf(logLines.list).stream()
                .filter(line -> line.getFormattedMessage().startsWith("run recovered after its stream broke"))
                .toList();
    }

    @Test
    void theAspectsFailureLine_ofABrokenStream_carriesTheTraceIdOfThatStreamsObservation() {
        try (var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"))) {
            client.send("""
                    {"type":"run","requestId":"fine","assistantId":"asst_demo","input":"Hello there"}""");
            assertThat(text(client.stream("fine", TIMEOUT).getLast(), "type")).isEqualTo("end");
            client.send("""
                    {"type":"run","requestId":"broken","assistantId":"asst_demo","input":"please interrupt"}""");
            var frames = client.stream("broken", TIMEOUT);
            assertThat(frames).anySatisfy(frame -> assertThat(text(frame, "code")).isEqualTo("stream_interrupted"));
        }

        await().atMost(TIMEOUT).until(() -> TRACE_IDS.containsKey("broken") && TRACE_IDS.containsKey("fine"));
        List<ILoggingEvent> failures = logLines.list.stream()
                .filter(line -> line.getFormattedMessage().startsWith("provider call failed")
                        && line.getFormattedMessage().contains("code=stream_interrupted"))
                .toList();
        assertThat(failures).as("the aspect's failure line of the broken stream").hasSize(1);
        String logged = failures.getFirst().getMDCPropertyMap().get("traceId");
        assertThat(logged).matches("[0-9a-f]{32}")
                .isEqualTo(TRACE_IDS.get("broken"))
                .isNotEqualTo(TRACE_IDS.get("fine"));
    }

    @TestConfiguration
    static class TraceIdsOfStreams {

        /** Records the trace id of each run stream's observation (its span, made by the tracing handler). */
        @Bean
        ObservationHandler<Observation.Context> streamTraceIds() {
            return new ObservationHandler<>() {
                @Override
                public boolean supportsContext(Observation.Context context) {
                    return "runrelay.run.stream".equals(context.getName());
                }

                @Override
                public void onStop(Observation.Context context) {
                    TracingObservationHandler.TracingContext tracing =
                            context.get(TracingObservationHandler.TracingContext.class);
                    String requestId = context.getHighCardinalityKeyValue("request.id").getValue();
                    if (tracing != null && tracing.getSpan() != null) {
                        TRACE_IDS.put(requestId, tracing.getSpan().context().traceId());
                    }
                }
            };
        }
    }
}
