package dev.runrelay.adapter.openai.responses;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.port.Provider;

/** The Responses provider with default settings and an in-memory ledger, wired to its own fake server. */
final class ResponsesTestSupport implements AutoCloseable {

    final FakeResponsesServer fake = FakeResponsesServer.start();
    final OpenAiClients clients = OpenAiClients.create(
            OpenAiSettings.of("sk-test-0123456789abcdef").withBaseUrl(fake.baseUrl()));
    final Provider provider = OpenAiResponsesProvider.create(clients, ResponsesSettings.defaults(),
            new InMemoryRunLedgerAdapter());

    @Override
    public void close() {
        clients.close();
        fake.close();
    }
}
