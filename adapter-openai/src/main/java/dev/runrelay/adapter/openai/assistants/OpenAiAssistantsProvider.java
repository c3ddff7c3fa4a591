package dev.runrelay.adapter.openai.assistants;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.domain.port.Provider;

/**
 * The {@code openai-assistants} provider: runs, run steps and run streams over the Assistants API v2
 * wire format (OpenAI sunset it on 26 August 2026; compatible servers still speak it), through
 * openai-java.
 */
public final class OpenAiAssistantsProvider {

    public static final String NAME = "openai-assistants";

    private OpenAiAssistantsProvider() {}

    /** A provider with its own clients (see {@link OpenAiClients} for threads and timeouts). */
    public static Provider create(OpenAiSettings settings) {
        return create(OpenAiClients.create(settings));
    }

    /** A provider over clients the caller owns and closes. */
    public static Provider create(OpenAiClients clients) {
        var client = clients.async();
        return new Provider(NAME,
                new OpenAiAssistantsRunAdapter(client),
                new OpenAiAssistantsRunStepAdapter(client),
                new OpenAiAssistantsRunStreamAdapter(client),
                new OpenAiErrorTranslator());
    }
}
