package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run of an assistant on a thread, as a provider reports it. Optional values are null when the
 * provider has not set them (a run not yet started has no {@code startedAt}); collections are never null.
 */
public record Run(
        String id,
        String threadId,
        String assistantId,
        RunStatus status,
        String model,
        String instructions,
        List<Tool> tools,
        Instant createdAt,
        Instant startedAt,
        Instant expiresAt,
        Instant cancelledAt,
        Instant failedAt,
        Instant completedAt,
        RequiredAction requiredAction,
        RunError lastError,
        IncompleteDetails incompleteDetails,
        Usage usage,
        Map<String, String> metadata,
        RunSettings settings) {

    public Run {
        tools = tools == null ? List.of() : List.copyOf(tools);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        settings = settings == null ? RunSettings.defaults() : settings;
    }
}
