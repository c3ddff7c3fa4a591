package dev.runrelay.bootstrap;

import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.adapter.openai.OpenAiSettings;
import dev.runrelay.adapter.openai.assistants.OpenAiAssistantsProvider;
import dev.runrelay.adapter.openai.assistants.OpenAiAssistantsRunTakeoverAdapter;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.openai.responses.OpenAiResponsesProvider;
import dev.runrelay.adapter.openai.responses.OpenAiResponsesRunTakeoverAdapter;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.adapter.sandbox.SandboxProvider;
import dev.runrelay.adapter.sandbox.SandboxSettings;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.port.RunTakeoverPort;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Chooses the one {@link Provider} of this instance from {@code runrelay.provider} and builds it.
 * Everything downstream (the guarded ports, the use cases, the WebSocket adapter) is the same
 * whichever provider it is.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunRelayProperties.class)
class ProviderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProviderConfiguration.class);

    /**
     * The chosen provider, what it holds open (the OpenAI HTTP client), closed at shutdown, and its
     * takeover of runs from a dead instance (docs/adr/0025; null for the sandbox).
     */
    record SelectedProvider(Provider provider, AutoCloseable resources, RunTakeoverPort takeover)
            implements AutoCloseable {
        @Override
        public void close() throws Exception {
            resources.close();
        }
    }

    @Bean(destroyMethod = "close")
    SelectedProvider selectedProvider(RunRelayProperties properties, ObjectProvider<RunLedgerPort> runLedger) {
        RunRelayProperties.OpenAi openAi = properties.openai();
        ProviderChoice.Selection selection = ProviderChoice.select(properties.provider(), openAi.hasApiKey());
        ProviderChoice choice = selection.choice();
        if (choice.needsApiKey() && !openAi.hasApiKey()) {
            throw new InvalidConfigurationException(
                    "runrelay.provider=" + choice.configName() + " needs an OpenAI API key, and none is set.",
                    "Set OPENAI_API_KEY (or runrelay.openai.api-key), or choose runrelay.provider=sandbox.");
        }
        SelectedProvider selected = switch (choice) {
            case SANDBOX -> new SelectedProvider(sandbox(properties.sandbox()), () -> {}, null);
            // The store's ledger (StoreConfiguration); a context without one gets the bounded in-memory default.
            case OPENAI -> openAiResponses(openAi, runLedger.getIfAvailable(InMemoryRunLedgerAdapter::new));
            case OPENAI_ASSISTANTS -> openAiAssistants(openAi);
        };
        log.info("RunRelay provider: {} ({}){}", selected.provider().name(), selection.reason(),
                details(choice, properties));
        return selected;
    }

    @Bean
    Provider provider(SelectedProvider selectedProvider) {
        return selectedProvider.provider();
    }

    private static Provider sandbox(RunRelayProperties.Sandbox sandbox) {
        try {
            return SandboxProvider.create(new SandboxSettings(sandbox.seed(), sandbox.deltasPerSecond(), sandbox.maxThreads()));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidConfigurationException(invalid.getMessage(),
                    "Fix runrelay.sandbox.* (see the README's configuration table).");
        }
    }

    private static SelectedProvider openAiResponses(RunRelayProperties.OpenAi openAi, RunLedgerPort runLedger) {
        ResponsesSettings responses = responsesSettings(openAi);
        OpenAiClients clients = OpenAiClients.create(openAiSettings(openAi));
        return new SelectedProvider(
                OpenAiResponsesProvider.create(clients, responses, runLedger), clients,
                OpenAiResponsesRunTakeoverAdapter.create(clients, responses, runLedger));
    }

    /** Profiles, expiry and resume settings; a mistake in them is a one-line start-up failure naming the property. */
    static ResponsesSettings responsesSettings(RunRelayProperties.OpenAi openAi) {
        return ResponsesSettingsMapping.toSettings(openAi);
    }

    private static SelectedProvider openAiAssistants(RunRelayProperties.OpenAi openAi) {
        OpenAiClients clients = OpenAiClients.create(openAiSettings(openAi));
        return new SelectedProvider(OpenAiAssistantsProvider.create(clients), clients,
                OpenAiAssistantsRunTakeoverAdapter.create(clients, OpenAiAssistantsRunTakeoverAdapter.POLL_INTERVAL));
    }

    /** The connection settings; their checks (e.g. an http(s) base URL) become one-line start-up failures. */
    static OpenAiSettings openAiSettings(RunRelayProperties.OpenAi openAi) {
        try {
            return new OpenAiSettings(openAi.apiKey(), openAi.baseUrl(), openAi.organization(), openAi.project(),
                    openAi.connectTimeout(), openAi.readTimeout(), openAi.requestTimeout(),
                    OpenAiSettings.DEFAULT_MAX_RETRIES, openAi.maxConcurrentRequests());
        } catch (IllegalArgumentException invalid) {
            throw invalid("runrelay.openai: " + invalid.getMessage());
        }
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message,
                "Fix runrelay.openai.* or the OPENAI_* environment variables (see the README's configuration table).");
    }

    private static String details(ProviderChoice choice, RunRelayProperties properties) {
        return switch (choice) {
            case SANDBOX -> ", seed " + properties.sandbox().seed() + ", " + properties.sandbox().deltasPerSecond()
                    + " deltas/s";
            case OPENAI -> ", base URL " + properties.openai().baseUrl() + ", assistant profiles "
                    + new TreeSet<>(responsesSettings(properties.openai()).profiles().keySet());
            case OPENAI_ASSISTANTS -> ", base URL " + properties.openai().baseUrl();
        };
    }
}
