package dev.runrelay.domain.run;

import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.shared.Check;

/**
 * The sampling and truncation settings of a run, each null when left to the assistant's default.
 *
 * @param responseFormat {@code auto}, {@code text} or {@code json_object}
 */
public record RunSettings(
        Double temperature,
        Double topP,
        Integer maxPromptTokens,
        Integer maxCompletionTokens,
        TruncationStrategy truncationStrategy,
        ToolChoice toolChoice,
        Boolean parallelToolCalls,
        String responseFormat) {

    /** The API refuses token budgets below this. */
    public static final int MIN_TOKEN_BUDGET = 256;

    public RunSettings {
        Check.range("temperature", temperature, 0.0, 2.0);
        Check.range("topP", topP, 0.0, 1.0);
        Check.atLeast("maxPromptTokens", maxPromptTokens, MIN_TOKEN_BUDGET);
        Check.atLeast("maxCompletionTokens", maxCompletionTokens, MIN_TOKEN_BUDGET);
        if (responseFormat != null
                && !responseFormat.equals("auto")
                && !responseFormat.equals("text")
                && !responseFormat.equals("json_object")) {
            throw new InvalidRequestException(
                    "responseFormat", "must be 'auto', 'text' or 'json_object'");
        }
    }

    public static RunSettings defaults() {
        return new RunSettings(null, null, null, null, null, null, null, null);
    }
}
