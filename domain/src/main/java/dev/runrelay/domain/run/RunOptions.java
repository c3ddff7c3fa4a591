package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import java.util.List;
import java.util.Map;

/**
 * The optional parameters of a new run; each null (or empty) value keeps the assistant's default.
 *
 * @param tools the tools of this run, or null to use the assistant's
 */
public record RunOptions(
        String model,
        String instructions,
        String additionalInstructions,
        List<Tool> tools,
        Map<String, String> metadata,
        RunSettings settings) {

    public RunOptions {
        tools = tools == null ? null : Check.list("tools", tools);
        metadata = Check.metadata("metadata", metadata);
        settings = settings == null ? RunSettings.defaults() : settings;
    }

    public static RunOptions defaults() {
        return new RunOptions(null, null, null, null, null, null);
    }
}
