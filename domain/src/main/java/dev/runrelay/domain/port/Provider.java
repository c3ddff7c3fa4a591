package dev.runrelay.domain.port;

import dev.runrelay.domain.error.ErrorTranslator;
import java.util.Objects;

/**
 * What one provider (sandbox, OpenAI Responses, OpenAI Assistants) contributes: its three driven
 * ports and the translator for its own exceptions. The composition root picks one and guards its
 * ports with the error-handling aspect.
 *
 * @param name the provider's configuration name, e.g. {@code sandbox}, {@code openai}, {@code openai-assistants}
 */
public record Provider(
        String name, RunPort runs, RunStepPort steps, RunStreamPort streams, ErrorTranslator errorTranslator) {

    public Provider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(runs, "runs");
        Objects.requireNonNull(steps, "steps");
        Objects.requireNonNull(streams, "streams");
        Objects.requireNonNull(errorTranslator, "errorTranslator");
    }
}
