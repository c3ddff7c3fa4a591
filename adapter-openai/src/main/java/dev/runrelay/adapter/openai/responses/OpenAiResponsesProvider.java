package dev.runrelay.adapter.openai.responses;

import com.openai.client.OpenAIClientAsync;
import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunLedgerPort;
import java.time.Clock;

/**
 * The OpenAI provider on today's API ({@value #NAME}): threads are conversations, runs are background
 * responses, and the gateway's {@link RunLedgerPort} records which responses make up each run. Its
 * ports are the same as every provider's, so nothing above them changes when a deployment switches.
 */
public final class OpenAiResponsesProvider {

    public static final String NAME = "openai";

    private OpenAiResponsesProvider() {}

    /**
     * The provider over {@code clients}, which the caller owns and closes at shutdown (e.g. a Spring
     * bean with a destroy method).
     */
    public static Provider create(OpenAiClients clients, ResponsesSettings responsesSettings, RunLedgerPort ledger) {
        return create(clients.async(), responsesSettings, ledger, Clock.systemUTC());
    }

    /**
     * The provider over new clients built from {@code settings}; they live as long as the JVM. Prefer
     * {@link #create(OpenAiClients, ResponsesSettings, RunLedgerPort)} where the clients can be closed.
     */
    public static Provider create(OpenAiSettings settings, ResponsesSettings responsesSettings, RunLedgerPort ledger) {
        return create(OpenAiClients.create(settings), responsesSettings, ledger);
    }

    /** The provider over an existing client and clock (tests move the clock to expire runs). */
    public static Provider create(
            OpenAIClientAsync client, ResponsesSettings responsesSettings, RunLedgerPort ledger, Clock clock) {
        var runs = new ResponsesRuns(client, ledger, responsesSettings, clock);
        return new Provider(NAME, new OpenAiResponsesRunAdapter(runs), new OpenAiResponsesRunStepAdapter(runs),
                new OpenAiResponsesRunStreamAdapter(runs), new OpenAiErrorTranslator());
    }
}
