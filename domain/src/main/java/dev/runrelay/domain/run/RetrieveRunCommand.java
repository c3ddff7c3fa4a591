package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

public record RetrieveRunCommand(String threadId, String runId) {

    public RetrieveRunCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
    }
}
