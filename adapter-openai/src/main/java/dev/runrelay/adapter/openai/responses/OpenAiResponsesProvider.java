package dev.runrelay.adapter.openai.responses;

import com.openai.client.OpenAIClientAsync;
import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunLedgerPort;
import java.time.Clock;

/**
 * The OpenAI provider on today's API: runs as background responses in conversations, with the
 * gateway's {@link RunLedgerPort} as the record of runs. Its ports are the same as every provider's.
 */
public final class OpenAiResponsesProvider {

    public static final String NAME = "openai";

    private OpenAiResponsesProvider() {}

    /**
     * The provider over a client built from {@code settings}. The caller owns nothing to close but the
     * returned clients' lifetime is the application's (close {@link OpenAiClients} at shutdown if it
     * built them itself; use {@link #create(OpenAIClientAsync, ResponsesSettings, RunLedgerPort, Clock)}).
     */
    public static Provider create(
            dev.runrelay.adapter.openai.OpenAiSettings settings, ResponsesSettings responsesSettings, RunLedgerPort ledger) {
        return create(OpenAiClients.create(settings).async(), responsesSettings, ledger, Clock.systemUTC());
    }

    /** The provider over an existing client, e.g. one whose {@link OpenAiClients} the caller closes. */
    public static Provider create(
            OpenAIClientAsync client, ResponsesSettings responsesSettings, RunLedgerPort ledger, Clock clock) {
        var runs = new ResponsesRuns(client, ledger, responsesSettings, clock);
        return new Provider(NAME, new ResponsesRunAdapter(runs), new ResponsesRunStepAdapter(runs),
                new ResponsesRunStreamAdapter(runs), new OpenAiErrorTranslator());
    }
}
