package dev.runrelay.bootstrap;

import dev.runrelay.adapter.sandbox.SandboxProvider;
import dev.runrelay.adapter.sandbox.SandboxSettings;
import dev.runrelay.domain.port.Provider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    @Bean
    Provider provider(RunRelayProperties properties) {
        RunRelayProperties.OpenAi openAi = properties.openai();
        ProviderChoice.Selection selection = ProviderChoice.select(properties.provider(), openAi.hasApiKey());
        ProviderChoice choice = selection.choice();
        if (choice.needsApiKey() && !openAi.hasApiKey()) {
            throw new InvalidConfigurationException(
                    "runrelay.provider=" + choice.configName() + " needs an OpenAI API key, and none is set.",
                    "Set OPENAI_API_KEY (or runrelay.openai.api-key), or choose runrelay.provider=sandbox.");
        }
        Provider provider = switch (choice) {
            case SANDBOX -> sandbox(properties.sandbox());
            case OPENAI, OPENAI_ASSISTANTS -> throw new InvalidConfigurationException(
                    "runrelay.provider=" + choice.configName() + " is not available in this build yet.",
                    "Choose runrelay.provider=sandbox.");
        };
        log.info("RunRelay provider: {} ({}){}", provider.name(), selection.reason(), details(choice, properties));
        return provider;
    }

    private static Provider sandbox(RunRelayProperties.Sandbox sandbox) {
        try {
            return SandboxProvider.create(new SandboxSettings(sandbox.seed(), sandbox.deltasPerSecond()));
        } catch (IllegalArgumentException invalid) {
            throw new InvalidConfigurationException(invalid.getMessage(),
                    "Fix runrelay.sandbox.* (see the README's configuration table).");
        }
    }

    private static String details(ProviderChoice choice, RunRelayProperties properties) {
        return switch (choice) {
            case SANDBOX -> ", seed " + properties.sandbox().seed() + ", " + properties.sandbox().deltasPerSecond()
                    + " deltas/s";
            case OPENAI, OPENAI_ASSISTANTS -> ", base URL " + properties.openai().baseUrl();
        };
    }
}
