package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import java.util.Map;

/** Replace a run's metadata (the only field the API lets one update). */
public record UpdateRunCommand(String threadId, String runId, Map<String, String> metadata) {

    public UpdateRunCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
        Check.present("metadata", metadata);
        metadata = Check.metadata("metadata", metadata);
    }
}
