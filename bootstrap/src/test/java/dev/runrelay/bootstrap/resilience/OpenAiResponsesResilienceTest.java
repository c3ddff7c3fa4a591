package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.openai.responses.OpenAiResponsesProvider;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The aspect around the real OpenAI Responses adapter against its fake server: creating the
 * conversation is not the start of the stream, so a 429/503 on {@code POST /v1/responses} is retried,
 * and no conversation is left behind by the attempt that failed.
 */
class OpenAiResponsesResilienceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String[] REAL_CLIENT_TIME_LIMITS = {
        "runrelay.resilience.timeouts.call=5s",
        "runrelay.resilience.timeouts.first-event=5s",
        "runrelay.resilience.timeouts.idle=5s"
    };

    private FakeResponsesServer fake;
    private OpenAiClients clients;
    private Provider provider;

    @BeforeEach
    void startFakeOpenAi() {
        fake = FakeResponsesServer.start();
        clients = OpenAiClients.create(OpenAiSettings.of("sk-test-0123456789abcdefghij").withBaseUrl(fake.baseUrl()));
        provider = OpenAiResponsesProvider.create(clients, ResponsesSettings.defaults(), new InMemoryRunLedgerAdapter());
    }

    @AfterEach
    void stop() {
        clients.close();
        fake.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void givenRefusedBeforeTheFirstEvent_newThreadRun_isRetried_withOneThreadCreatedAndOneConversationLeft(int status) {
        fake.enqueue(FakeResponsesScenario.error(status, status == 429 ? "requests" : "server_error",
                status == 429 ? "rate_limit_exceeded" : null, "Refused by the fake"));
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
        var command = new CreateThreadAndRunCommand("default", List.of(MessageInput.user("Hi")), Map.of(), null);

        List<RunEvent> events;
        try (ResilienceWiring wiring = ResilienceWiring.around(provider, REAL_CLIENT_TIME_LIMITS)) {
            events = flux(wiring.streams.createThreadAndRunAndStream(command)).collectList().block(TIMEOUT);
        }

        assertThat(events).filteredOn(RunEvent.ThreadCreated.class::isInstance).hasSize(1);
        assertThat(events.getFirst()).isInstanceOf(RunEvent.ThreadCreated.class);
        assertThat(events.getLast()).isInstanceOfSatisfying(RunEvent.StreamEnded.class,
                end -> assertThat(end.finalStatus()).isEqualTo(RunStatus.COMPLETED));
        String threadId = ((RunEvent.ThreadCreated) events.getFirst()).threadId();
        assertThat(fake.requests("POST", "/v1/responses")).hasSize(2);
        assertThat(fake.conversationIds()).containsExactly(threadId);
    }
}
