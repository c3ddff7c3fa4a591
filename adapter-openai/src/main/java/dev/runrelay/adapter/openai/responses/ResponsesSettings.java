package dev.runrelay.adapter.openai.responses;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The Responses provider's own settings (the connection is {@code OpenAiSettings}).
 *
 * @param profiles assistant profiles by id; a {@value #DEFAULT_PROFILE} profile with {@code defaultModel}
 *     is added when missing, so a deployment with only an API key can run
 * @param defaultModel the model of the added {@code default} profile ({@value #DEFAULT_MODEL})
 * @param requiresActionExpiry how long a run waits for tool outputs before it expires (10 minutes, as Assistants)
 * @param resumeAttempts how many times an interrupted stream is resumed before the run stream fails
 * @param resumeBackoff pause before each resume attempt
 */
public record ResponsesSettings(
        Map<String, AssistantProfile> profiles,
        String defaultModel,
        Duration requiresActionExpiry,
        int resumeAttempts,
        Duration resumeBackoff) {

    public static final String DEFAULT_PROFILE = "default";
    public static final String DEFAULT_MODEL = "gpt-4.1-mini";
    public static final Duration DEFAULT_REQUIRES_ACTION_EXPIRY = Duration.ofMinutes(10);
    public static final int DEFAULT_RESUME_ATTEMPTS = 3;
    public static final Duration DEFAULT_RESUME_BACKOFF = Duration.ofMillis(200);

    public ResponsesSettings {
        defaultModel = defaultModel == null || defaultModel.isBlank() ? DEFAULT_MODEL : defaultModel;
        var all = new HashMap<String, AssistantProfile>(profiles == null ? Map.of() : profiles);
        all.putIfAbsent(DEFAULT_PROFILE, AssistantProfile.of(defaultModel));
        profiles = Map.copyOf(all);
        requiresActionExpiry = positiveOr(requiresActionExpiry, DEFAULT_REQUIRES_ACTION_EXPIRY, "requiresActionExpiry");
        resumeBackoff = resumeBackoff == null ? DEFAULT_RESUME_BACKOFF : resumeBackoff;
        if (resumeBackoff.isNegative()) {
            throw new IllegalArgumentException("resumeBackoff must not be negative");
        }
        if (resumeAttempts < 0) {
            throw new IllegalArgumentException("resumeAttempts must not be negative");
        }
    }

    public static ResponsesSettings defaults() {
        return new ResponsesSettings(Map.of(), null, null, DEFAULT_RESUME_ATTEMPTS, null);
    }

    public ResponsesSettings withProfiles(Map<String, AssistantProfile> newProfiles) {
        return new ResponsesSettings(newProfiles, defaultModel, requiresActionExpiry, resumeAttempts, resumeBackoff);
    }

    public ResponsesSettings withRequiresActionExpiry(Duration expiry) {
        return new ResponsesSettings(profiles, defaultModel, expiry, resumeAttempts, resumeBackoff);
    }

    public ResponsesSettings withResume(int attempts, Duration backoff) {
        return new ResponsesSettings(profiles, defaultModel, requiresActionExpiry, attempts, backoff);
    }

    private static Duration positiveOr(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
