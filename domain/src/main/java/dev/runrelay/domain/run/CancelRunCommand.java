package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

public record CancelRunCommand(String threadId, String runId) {

    public CancelRunCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
    }
}
