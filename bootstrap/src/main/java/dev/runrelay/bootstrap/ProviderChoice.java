package dev.runrelay.bootstrap;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The providers {@code runrelay.provider} can name, and how a blank choice is made. */
enum ProviderChoice {
    SANDBOX("sandbox"),
    /** OpenAI's Responses API. */
    OPENAI("openai"),
    /** OpenAI's Assistants wire format, for servers that still speak it. */
    OPENAI_ASSISTANTS("openai-assistants");

    /** The choice and why it was made, for the start-up log line. */
    record Selection(ProviderChoice choice, String reason) {}

    private final String configName;

    ProviderChoice(String configName) {
        this.configName = configName;
    }

    String configName() {
        return configName;
    }

    boolean needsApiKey() {
        return this != SANDBOX;
    }

    static Selection select(String configured, boolean apiKeySet) {
        if (configured == null || configured.isBlank()) {
            return apiKeySet
                    ? new Selection(OPENAI, "runrelay.provider is not set and OPENAI_API_KEY is")
                    : new Selection(SANDBOX, "runrelay.provider is not set and there is no OPENAI_API_KEY");
        }
        String name = configured.strip();
        for (ProviderChoice choice : values()) {
            if (choice.configName.equals(name)) {
                return new Selection(choice, "runrelay.provider=" + name);
            }
        }
        throw new InvalidConfigurationException(
                "runrelay.provider must be one of " + names() + ", but is '" + name + "'.",
                "Set runrelay.provider (or RUNRELAY_PROVIDER) to one of " + names()
                        + ", or leave it unset to choose by OPENAI_API_KEY.");
    }

    static String names() {
        return Arrays.stream(values()).map(ProviderChoice::configName).collect(Collectors.joining(", "));
    }
}
