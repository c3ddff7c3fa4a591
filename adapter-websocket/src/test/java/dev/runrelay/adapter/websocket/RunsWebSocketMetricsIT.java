package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

/** Every refusal, server-side close and stream end leaves a log line and moves a meter with stable tags. */
class RunsWebSocketMetricsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>();
    private final Logger metricsLogger = (Logger) LoggerFactory.getLogger(RunsWebSocketMetrics.class);

    @AfterEach
    void releaseLogs() {
        metricsLogger.detachAppender(logLines);
    }

    @Test
    void refusals_invalidJsonFrameTooLargeTooManyStreams_areCountedAndLogged() {
        try (var server = TestServer.start("runrelay.websocket.max-streams-per-connection=1");
                var client = server.connect()) {
            captureLogs();
            MeterRegistry meters = meters(server);

            client.sendNonConforming("not json");
            assertThat(text(client.nextOfType("error"), "code")).isEqualTo("invalid_json");
            client.sendNonConforming("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
            assertThat(text(client.nextOfType("error"), "code")).isEqualTo("frame_too_large");
            client.send("{\"type\":\"run\",\"requestId\":\"r1\",\"assistantId\":\"asst_endless\",\"threadId\":\"thread_1\"}");
            client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);
            client.send("{\"type\":\"run\",\"requestId\":\"r2\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");
            assertThat(text(client.reply("r2"), "code")).isEqualTo("too_many_streams");

            assertThat(errors(meters, "invalid_json")).isEqualTo(1);
            assertThat(errors(meters, "frame_too_large")).isEqualTo(1);
            assertThat(errors(meters, "too_many_streams")).isEqualTo(1);
            assertThat(errors(meters, "slow_consumer")).isZero();
            assertThat(logged(Level.INFO, "invalid_json")).isTrue();
            assertThat(logged(Level.INFO, "frame_too_large")).isTrue();
            assertThat(logged(Level.INFO, "request r2: too_many_streams")).isTrue();
        }
    }

    @Test
    void gauges_countOpenSocketsAndRunningStreams_andAGoneClientCountsAsClientGone() {
        try (var server = TestServer.start()) {
            MeterRegistry meters = meters(server);
            assertThat(gauge(meters, RunsWebSocketMetrics.CONNECTIONS)).isZero();
            var client = server.connect();
            client.send("{\"type\":\"run\",\"requestId\":\"n1\",\"assistantId\":\"asst_endless\",\"threadId\":\"thread_1\"}");
            client.awaitFrame(frame -> "chunk".equals(text(frame, "type")), TIMEOUT);

            assertThat(gauge(meters, RunsWebSocketMetrics.CONNECTIONS)).isEqualTo(1);
            assertThat(gauge(meters, RunsWebSocketMetrics.STREAMS)).isEqualTo(1);

            client.abort();

            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(gauge(meters, RunsWebSocketMetrics.CONNECTIONS)).isZero();
                assertThat(gauge(meters, RunsWebSocketMetrics.STREAMS)).isZero();
                assertThat(runs(meters, "none", "client_gone")).isEqualTo(1);
            });
        }
    }

    @Test
    void streams_areCountedByFinalStatus_andEachIsOneObservation() {
        try (var server = TestServer.start()) {
            MeterRegistry meters = meters(server);
            List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
            server.context.getBean(RunsWebSocketMetrics.class).observations().observationConfig()
                    .observationHandler(new ObservationHandler<>() {
                        @Override
                        public void onStop(Observation.Context context) {
                            stopped.add(context);
                        }

                        @Override
                        public boolean supportsContext(Observation.Context context) {
                            return RunsWebSocketMetrics.STREAM_OBSERVATION.equals(context.getName());
                        }
                    });
            try (var client = server.connect()) {
                client.send("{\"type\":\"run\",\"requestId\":\"t1\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");
                assertThat(text(client.stream("t1").getLast(), "status")).isEqualTo("completed");
                client.send("{\"type\":\"run\",\"requestId\":\"f1\",\"assistantId\":\"asst_failing\",\"threadId\":\"thread_1\"}");
                String failure = text(client.stream("f1").getLast(), "error");

                await().atMost(TIMEOUT).untilAsserted(() -> {
                    assertThat(runs(meters, "completed", "none")).isEqualTo(1);
                    assertThat(meters.find(RunsWebSocketMetrics.RUNS).tag("error", failure).counter()).isNotNull();
                    assertThat(stopped).hasSize(2);
                });
            }
            Observation.Context text = stopped.stream()
                    .filter(context -> "t1".equals(context.getHighCardinalityKeyValue("request.id").getValue()))
                    .findFirst().orElseThrow();
            assertThat(text.getLowCardinalityKeyValue("operation").getValue()).isEqualTo("run");
            assertThat(text.getLowCardinalityKeyValue("status").getValue()).isEqualTo("completed");
            assertThat(text.getLowCardinalityKeyValue("error").getValue()).isEqualTo("none");
            assertThat(text.getHighCardinalityKeyValue("run.id").getValue()).isEqualTo("run_text");
        }
    }

    @Test
    void slowConsumer_isCountedAndLoggedAsAWarning() throws Exception {
        try (var server = TestServer.start("runrelay.websocket.outbound-buffer-size=256");
                var client = server.connect()) {
            captureLogs();
            MeterRegistry meters = meters(server);
            client.pauseReading();
            client.send("{\"type\":\"run\",\"requestId\":\"flood\",\"assistantId\":\"asst_flood\",\"threadId\":\"thread_1\"}");
            server.fakes.upstreamCancelled("run_flood").get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            client.resumeReading();
            assertThat(text(client.stream("flood", TIMEOUT).getLast(), "error")).isEqualTo("slow_consumer");

            assertThat(errors(meters, "slow_consumer")).isEqualTo(1);
            assertThat(logged(Level.WARN, "request flood: slow_consumer")).isTrue();
            await().atMost(TIMEOUT).until(() -> runs(meters, "failed", "slow_consumer") == 1);
        }
    }

    @Test
    void frameAboveTheTransportLimit_close1009_isCountedAndLogged() throws Exception {
        try (var server = TestServer.start(); var client = server.connect()) {
            captureLogs();
            client.sendNonConforming("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1100 * 1024) + "\"}");
            assertThat(client.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1009);

            assertThat(closes(meters(server), "1009", "message_too_big")).isEqualTo(1);
            assertThat(logged(Level.INFO, "closed by the server: 1009 message_too_big")).isTrue();
        }
    }

    @Test
    void silentClient_close4408_isCountedAndLogged() {
        try (var server = TestServer.start("runrelay.websocket.ping-interval=200ms",
                "runrelay.websocket.idle-timeout=1s")) {
            captureLogs();
            // Reactor Netty's client with handlePing(true) hands pings to us instead of answering them.
            Integer code = HttpClient.create()
                    .websocket(WebsocketClientSpec.builder().handlePing(true).build())
                    .uri(server.uri())
                    .handle((in, out) -> Flux.merge(
                            in.receiveFrames().then(Mono.<Integer>empty()),
                            in.receiveCloseStatus().map(status -> status.code())))
                    .next()
                    .block(TIMEOUT);

            assertThat(code).isEqualTo(4408);
            assertThat(closes(meters(server), "4408", "idle_timeout")).isEqualTo(1);
            assertThat(logged(Level.INFO, "closed by the server: 4408 idle_timeout")).isTrue();
        }
    }

    /** After the server has started: Spring Boot resets the logging system as it starts. */
    private void captureLogs() {
        logLines.start();
        metricsLogger.addAppender(logLines);
    }

    private static MeterRegistry meters(TestServer server) {
        return server.context.getBean(RunsWebSocketMetrics.class).meters();
    }

    private static double errors(MeterRegistry meters, String code) {
        Counter counter = meters.find(RunsWebSocketMetrics.ERRORS).tag("code", code).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double closes(MeterRegistry meters, String code, String reason) {
        Counter counter = meters.find(RunsWebSocketMetrics.CLOSES).tag("code", code).tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double runs(MeterRegistry meters, String status, String error) {
        Counter counter = meters.find(RunsWebSocketMetrics.RUNS).tag("status", status).tag("error", error).counter();
        return counter == null ? 0 : counter.count();
    }

    private static double gauge(MeterRegistry meters, String name) {
        Gauge gauge = meters.find(name).gauge();
        assertThat(gauge).as(name).isNotNull();
        return gauge.value();
    }

    private boolean logged(Level level, String text) {
        return logLines.list.stream()
                .anyMatch(line -> line.getLevel() == level && line.getFormattedMessage().contains(text));
    }
}
