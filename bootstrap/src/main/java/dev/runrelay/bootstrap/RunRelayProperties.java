package dev.runrelay.bootstrap;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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
     * @param seed drives the sandbox's canned content (same seed, same calls, same texts); ids are secure random
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
     * @param responses the Responses provider's assistant profiles and stream settings
     */
    public record OpenAi(
            String apiKey,
            @DefaultValue("https://api.openai.com/v1") String baseUrl,
            String organization,
            String project,
            @DefaultValue("10s") Duration connectTimeout,
            @DefaultValue("60s") Duration readTimeout,
            @DefaultValue("0s") Duration requestTimeout,
            @DefaultValue("4096") int maxConcurrentRequests,
            @DefaultValue("gpt-4.1-mini") String defaultModel,
            @DefaultValue Responses responses) {

        boolean hasApiKey() {
            return apiKey != null && !apiKey.isBlank();
        }

        @Override
        public String toString() {
            return "OpenAi[apiKey=" + (hasApiKey() ? "****" : "<none>") + ", baseUrl=" + baseUrl + "]";
        }
    }

    /**
     * {@code runrelay.openai.responses.*}: what the {@code openai} (Responses) provider needs beyond the connection.
     *
     * @param profiles assistant profiles by id, the ids a run's {@code assistantId} may name; a {@code default}
     *     profile with {@code runrelay.openai.default-model} exists unless configured here
     * @param requiresActionExpiry how long a run waits for tool outputs before it expires
     * @param resumeAttempts how many times an interrupted stream is resumed from its last sequence number
     * @param resumeBackoff the pause before each resume attempt
     */
    public record Responses(
            Map<String, Profile> profiles,
            @DefaultValue("10m") Duration requiresActionExpiry,
            @DefaultValue("3") int resumeAttempts,
            @DefaultValue("200ms") Duration resumeBackoff) {

        public Responses {
            profiles = profiles == null ? Map.of() : profiles;
        }
    }

    /**
     * One assistant profile; a run's own options override each value.
     *
     * @param model the model; {@code runrelay.openai.default-model} when unset
     * @param instructions the system instructions
     * @param tools the tools the model may call
     * @param vectorStoreIds the vector stores a {@code file_search} tool searches
     * @param codeInterpreterFileIds files the code interpreter's container starts with
     * @param temperature 0..2, unset for the model's default
     */
    public record Profile(
            String model,
            String instructions,
            List<ProfileTool> tools,
            List<String> vectorStoreIds,
            List<String> codeInterpreterFileIds,
            Double temperature) {}

    /**
     * One tool of a profile.
     *
     * @param type {@code function}, {@code code_interpreter} or {@code file_search}
     * @param name a function's name (required for {@code function})
     * @param description what the function does, for the model
     * @param parameters the function's arguments as a JSON Schema object written as a JSON string
     *     (in YAML most readably a {@code |} block); unset for no arguments
     * @param strict whether the model must follow the schema exactly; unset for the provider's default
     * @param maxNumResults {@code file_search} only: 1..50, unset for the provider's default
     */
    public record ProfileTool(
            String type,
            String name,
            String description,
            String parameters,
            Boolean strict,
            Integer maxNumResults) {}
}
