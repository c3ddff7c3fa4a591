package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import java.util.List;

/**
 * Start a run of an assistant on an existing thread, first adding {@code additionalMessages}
 * (typically the user's input) so one call starts a conversation turn.
 */
public record CreateRunCommand(
        String threadId, String assistantId, List<MessageInput> additionalMessages, RunOptions options) {

    public CreateRunCommand {
        Check.id("threadId", threadId);
        Check.id("assistantId", assistantId);
        additionalMessages = Check.list("additionalMessages", additionalMessages);
        options = options == null ? RunOptions.defaults() : options;
    }
}
