package dev.runrelay.bootstrap;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider choice and the providers' settings, under {@code runrelay.*}. The WebSocket and
 * resilience settings have their own records ({@code runrelay.websocket.*}, {@code runrelay.resilience.*}).
 *
 * @param provider {@code sandbox}, {@code openai} or {@code openai-assistants}; blank chooses
 *     {@code openai} when an API key is set and {@code sandbox} otherwise
 */
@ConfigurationProperties("runrelay")
public record RunRelayProperties(String provider, @DefaultValue Sandbox sandbox, @DefaultValue OpenAi openai) {

    /**
     * @param seed drives the sandbox's ids and canned texts (same seed, same calls, same results)
     * @param deltasPerSecond the pace of streamed text, code and argument fragments
     * @param maxThreads threads kept in memory; the oldest is forgotten beyond this
     */
    public record Sandbox(
            @DefaultValue("42") long seed,
            @DefaultValue("50") int deltasPerSecond,
            @DefaultValue("10000") int maxThreads) {}

    /**
     * @param apiKey from {@code OPENAI_API_KEY}; never logged
     * @param baseUrl from {@code OPENAI_BASE_URL}; any server speaking OpenAI's wire format
     * @param organization the {@code OpenAI-Organization} header, from {@code OPENAI_ORG_ID}
     * @param project the {@code OpenAI-Project} header, from {@code OPENAI_PROJECT_ID}
     * @param connectTimeout time to open a connection
     * @param readTimeout longest silence between two bytes of a response or stream
     * @param requestTimeout overall deadline of a call; 0 for none, so long streams are not cut
     * @param maxConcurrentRequests requests in flight to the provider at once
     * @param defaultModel the model of the {@code default} assistant profile of the Responses provider
     */
    public record OpenAi(
            String apiKey,
            @DefaultValue("https://api.openai.com/v1") String baseUrl,
            String organization,
            String project,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout,
            @DefaultValue("0s") Duration requestTimeout,
            @DefaultValue("1024") int maxConcurrentRequests,
            @DefaultValue("gpt-4.1-mini") String defaultModel) {

        boolean hasApiKey() {
            return apiKey != null && !apiKey.isBlank();
        }

        @Override
        public String toString() {
            return "OpenAi[apiKey=" + (hasApiKey() ? "****" : "<none>") + ", baseUrl=" + baseUrl + "]";
        }
    }
}
