package dev.runrelay.adapter.openai.responses;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.contract.RunStreamPortContract;
import dev.runrelay.domain.port.Provider;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The stream contract every provider keeps, run against the Responses provider and its fake server. */
class ResponsesRunStreamContractTest extends RunStreamPortContract {

    private final FakeResponsesServer fake = FakeResponsesServer.start();
    private final OpenAiClients clients = OpenAiClients.create(
            OpenAiSettings.of("sk-test-0123456789abcdef").withBaseUrl(fake.baseUrl()));
    private final Provider provider = OpenAiResponsesProvider.create(clients, ResponsesSettings.defaults(),
            new InMemoryRunLedgerAdapter());

    @AfterEach
    void stop() {
        clients.close();
        fake.close();
    }

    @Override
    protected Provider provider() {
        return provider;
    }

    @Override
    protected String assistantId() {
        return "default";
    }

    @Override
    protected void prepareTextRun() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
    }

    @Override
    protected void prepareSlowTextRun() {
        fake.enqueue(FakeResponsesScenario.text(60, Duration.ofMillis(100)));
    }

    @Override
    protected int openUpstreamStreams() {
        return fake.openStreams();
    }

    @Override
    protected int streamRequests() {
        return fake.requests().size();
    }
}
