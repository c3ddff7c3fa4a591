package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.sandbox.SandboxProvider;
import dev.runrelay.adapter.sandbox.SandboxSettings;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.bridge.StreamContext;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Flux;

/**
 * One crossing (docs/adr/0010): the request id the WebSocket adapter puts in Reactor's context reaches the
 * provider adapter through the resilience aspect and the use case, which all pass the stream as a
 * {@link Flow.Publisher}. With a {@code JdkFlowAdapter} at each crossing the adapter saw no context.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"server.address=127.0.0.1", "runrelay.provider=sandbox"})
class ContextReachesTheAdapterTest {

    /** What the provider adapter found in its subscriber's context, by the thread it streamed for. */
    static final Map<String, String> SEEN = new ConcurrentHashMap<>();

    @LocalServerPort
    int port;

    @Test
    void theClientsRequestId_putInTheContextAtTheSocket_isVisibleInTheProviderAdapter() {
        try (var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"))) {
            client.send("""
                    {"type":"run","requestId":"ctx-42","assistantId":"asst_sandbox","input":"Hello there"}""");
            var stream = client.stream("ctx-42", Duration.ofSeconds(20));

            assertWellFormedStream(stream);
            assertThat(SEEN).containsEntry("createThreadAndRunAndStream", "ctx-42");
        }
    }

    @TestConfiguration
    static class ContextRecordingProvider {

        /** The sandbox provider whose stream port records its subscriber's context, as a provider adapter could log it. */
        @Bean
        @Primary
        Provider contextRecordingProvider() {
            Provider sandbox = SandboxProvider.create(SandboxSettings.defaults());
            RunStreamPort streams = sandbox.streams();
            RunStreamPort recording = new RunStreamPort() {
                @Override
                public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
                    return recorded("createAndStream", () -> streams.createAndStream(command));
                }

                @Override
                public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
                    return recorded("createThreadAndRunAndStream", () -> streams.createThreadAndRunAndStream(command));
                }

                @Override
                public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
                    return recorded("submitToolOutputsAndStream", () -> streams.submitToolOutputsAndStream(command));
                }
            };
            return new Provider(sandbox.name(), sandbox.runs(), sandbox.steps(), recording, sandbox.errorTranslator());
        }

        private static Flow.Publisher<RunEvent> recorded(String operation, Supplier<Flow.Publisher<RunEvent>> stream) {
            return FlowBridge.toFlow(Flux.deferContextual(context -> {
                SEEN.put(operation, StreamContext.requestId(context).orElse("(no request id in the context)"));
                return FlowBridge.toFlux(stream.get());
            }));
        }
    }
}
