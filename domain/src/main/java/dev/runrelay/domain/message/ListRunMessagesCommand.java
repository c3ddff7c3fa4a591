package dev.runrelay.domain.message;

import dev.runrelay.domain.shared.Check;

/** The finished assistant messages one run wrote. */
public record ListRunMessagesCommand(String threadId, String runId) {

    public ListRunMessagesCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
    }
}
