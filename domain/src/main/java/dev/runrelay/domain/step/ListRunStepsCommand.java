package dev.runrelay.domain.step;

import dev.runrelay.domain.shared.Check;
import dev.runrelay.domain.shared.PageRequest;
import java.util.Set;

public record ListRunStepsCommand(String threadId, String runId, PageRequest page, Set<StepInclude> include) {

    public ListRunStepsCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
        page = page == null ? PageRequest.firstPage() : page;
        include = StepIncludes.copyOf(include);
    }
}
