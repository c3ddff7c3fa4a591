package dev.runrelay.domain.step;

import dev.runrelay.domain.run.RunError;
import dev.runrelay.domain.shared.Usage;
import java.time.Instant;
import java.util.Map;

/** One step of a run: a message it created or the tools it called. Optional values are null when unset. */
public record RunStep(
        String id,
        String runId,
        String threadId,
        String assistantId,
        RunStepType type,
        RunStepStatus status,
        StepDetails details,
        Usage usage,
        Instant createdAt,
        Instant completedAt,
        Instant cancelledAt,
        Instant failedAt,
        Instant expiredAt,
        RunError lastError,
        Map<String, String> metadata) {

    public RunStep {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
