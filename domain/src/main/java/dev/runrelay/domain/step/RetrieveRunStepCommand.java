package dev.runrelay.domain.step;

import dev.runrelay.domain.shared.Check;
import java.util.Set;

public record RetrieveRunStepCommand(String threadId, String runId, String stepId, Set<StepInclude> include) {

    public RetrieveRunStepCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
        Check.id("stepId", stepId);
        include = StepIncludes.copyOf(include);
    }
}
