package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.bridge.StreamContext;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The request id the WebSocket adapter puts in Reactor's context reaches the provider adapter's log lines:
 * a line the Assistants adapter writes while it reads the upstream stream (it skips an event type it does
 * not know, {@code text-run.sse} has one) carries the client's request id in the log MDC under
 * {@link StreamContext#MDC_REQUEST_ID}, on the event loop that reads the response.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=openai-assistants"})
class ProviderLogLinesCarryTheRequestIdTest {

    static final FakeAssistantsServer FAKE = FakeAssistantsServer.start();

    @LocalServerPort
    int port;

    /** Takes the MDC when the line is written, on the thread that writes it (logback reads it lazily otherwise). */
    private final ListAppender<ILoggingEvent> logLines = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent line) {
            line.prepareForDeferredProcessing();
            super.append(line);
        }
    };
    private final Logger adapterLogger =
            (Logger) LoggerFactory.getLogger("dev.runrelay.adapter.openai.assistants.AssistantStreamMapper");

    @DynamicPropertySource
    static void pointAtTheFake(DynamicPropertyRegistry registry) {
        registry.add("runrelay.openai.api-key", () -> "sk-test-not-a-real-key");
        registry.add("runrelay.openai.base-url", FAKE::baseUrl);
    }

    @AfterAll
    static void stopFake() {
        FAKE.close();
    }

    @BeforeEach
    void captureLogs() {
        logLines.start();
        adapterLogger.addAppender(logLines);
    }

    @AfterEach
    void releaseLogs() {
        adapterLogger.detachAppender(logLines);
    }

    @Test
    void aLogLineTheProviderAdapterWritesWhileStreaming_carriesTheClientsRequestIdInTheMdc() {
        FAKE.onStream("POST", THREAD_AND_RUN, FakeResponse.sseFixture("text-run.sse"));
        try (var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"))) {
            client.send("""
                    {"type":"run","requestId":"mdc-42","assistantId":"asst_abc123","input":"Hello there"}""");
            assertWellFormedStream(client.stream("mdc-42", Duration.ofSeconds(20)));
        }

        List<ILoggingEvent> skipped = logLines.list.stream()
                .filter(line -> line.getFormattedMessage().startsWith("Skipping an Assistants stream event"))
                .toList();
        assertThat(skipped).as("the adapter's line about the unknown event").hasSize(1);
        ILoggingEvent line = skipped.getFirst();
        assertThat(line.getMDCPropertyMap()).containsEntry(StreamContext.MDC_REQUEST_ID, "mdc-42");
        assertThat(line.getThreadName()).as("written on the event loop that reads the upstream").startsWith("reactor-http-");
    }
}
