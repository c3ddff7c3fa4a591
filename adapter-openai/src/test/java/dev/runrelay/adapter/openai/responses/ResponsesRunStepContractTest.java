package dev.runrelay.adapter.openai.responses;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.contract.RunStepPortContract;
import dev.runrelay.domain.contract.StreamedRuns;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The step contract every provider keeps, run against the Responses provider and its fake server. */
class ResponsesRunStepContractTest extends RunStepPortContract {

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
    protected RunIds completedTextRun() {
        fake.enqueue(FakeResponsesScenario.text(3, Duration.ZERO));
        return StreamedRuns.newThreadRun(provider, "default", "Hello there", RunStatus.COMPLETED);
    }
}
