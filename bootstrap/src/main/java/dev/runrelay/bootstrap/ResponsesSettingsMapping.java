package dev.runrelay.bootstrap;

import dev.runrelay.adapter.openai.responses.AssistantProfile;
import dev.runrelay.adapter.openai.responses.ResponsesSettings;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.run.Tool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns {@code runrelay.openai.*} into the Responses provider's {@link ResponsesSettings}. Every mistake
 * becomes an {@link InvalidConfigurationException} naming the property, so start-up stops with one line
 * instead of a run failing later.
 */
final class ResponsesSettingsMapping {

    static final String PREFIX = "runrelay.openai.responses";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ResponsesSettingsMapping() {}

    static ResponsesSettings toSettings(RunRelayProperties.OpenAi openAi) {
        RunRelayProperties.Responses responses = openAi.responses();
        Duration expiry = responses.requiresActionExpiry();
        if (expiry == null || expiry.isNegative() || expiry.isZero()) {
            throw invalid(PREFIX + ".requires-action-expiry must be positive, but is " + expiry + ".");
        }
        if (responses.resumeAttempts() < 0) {
            throw invalid(PREFIX + ".resume-attempts must not be negative, but is " + responses.resumeAttempts() + ".");
        }
        Duration backoff = responses.resumeBackoff();
        if (backoff == null || backoff.isNegative()) {
            throw invalid(PREFIX + ".resume-backoff must not be negative, but is " + backoff + ".");
        }
        String defaultModel = openAi.defaultModel() == null || openAi.defaultModel().isBlank()
                ? ResponsesSettings.DEFAULT_MODEL : openAi.defaultModel().strip();
        var profiles = new LinkedHashMap<String, AssistantProfile>();
        responses.profiles().forEach((id, profile) ->
                profiles.put(id, profile(PREFIX + ".profiles." + id, profile, defaultModel)));
        try {
            return new ResponsesSettings(profiles, defaultModel, expiry, responses.resumeAttempts(), backoff);
        } catch (IllegalArgumentException invalid) {
            throw invalid(PREFIX + ": " + invalid.getMessage());
        }
    }

    private static AssistantProfile profile(String path, RunRelayProperties.Profile profile, String defaultModel) {
        if (profile == null) {
            throw invalid(path + " is empty; give it at least a model.");
        }
        String model = profile.model() == null || profile.model().isBlank() ? defaultModel : profile.model().strip();
        var tools = new ArrayList<Tool>();
        List<RunRelayProperties.ProfileTool> configured = profile.tools() == null ? List.of() : profile.tools();
        for (int i = 0; i < configured.size(); i++) {
            tools.add(tool(path + ".tools[" + i + "]", configured.get(i)));
        }
        try {
            return new AssistantProfile(model, profile.instructions(), tools, profile.vectorStoreIds(),
                    profile.codeInterpreterFileIds(), profile.temperature());
        } catch (IllegalArgumentException invalid) {
            throw invalid(path + ": " + invalid.getMessage() + ".");
        }
    }

    private static Tool tool(String path, RunRelayProperties.ProfileTool tool) {
        String type = tool == null || tool.type() == null ? "" : tool.type().strip();
        try {
            return switch (type) {
                case "function" -> function(path, tool);
                case "code_interpreter" -> new Tool.CodeInterpreter();
                case "file_search" -> new Tool.FileSearch(tool.maxNumResults());
                default -> throw invalid(path + ".type must be one of function, code_interpreter, file_search, but is '"
                        + type + "'.");
            };
        } catch (RunRelayException invalid) {
            // the domain's own checks (function name, max-num-results) name the field in API terms
            throw invalid(path + ": " + invalid.getMessage() + ".");
        }
    }

    private static Tool.Function function(String path, RunRelayProperties.ProfileTool tool) {
        if (tool.name() == null || tool.name().isBlank()) {
            throw invalid(path + ".name is required for a function tool.");
        }
        String parameters = tool.parameters() == null || tool.parameters().isBlank() ? null : tool.parameters();
        if (parameters != null) {
            try {
                if (!JSON.readTree(parameters).isObject()) {
                    throw invalid(path + ".parameters must be a JSON Schema object, e.g. {\"type\":\"object\"}.");
                }
            } catch (JacksonException notJson) {
                throw invalid(path + ".parameters is not valid JSON: " + notJson.getOriginalMessage());
            }
        }
        return new Tool.Function(tool.name().strip(), tool.description(), parameters, tool.strict());
    }

    private static InvalidConfigurationException invalid(String message) {
        return new InvalidConfigurationException(message,
                "Fix " + PREFIX + ".* (see the README's configuration table and the example in application.yml).");
    }
}
