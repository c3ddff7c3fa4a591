package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import java.util.List;
import java.util.Map;

/** Create a thread holding {@code messages} and start a run on it, in one call. */
public record CreateThreadAndRunCommand(
        String assistantId, List<MessageInput> messages, Map<String, String> threadMetadata, RunOptions options) {

    public CreateThreadAndRunCommand {
        Check.id("assistantId", assistantId);
        messages = Check.list("messages", messages);
        threadMetadata = Check.metadata("threadMetadata", threadMetadata);
        options = options == null ? RunOptions.defaults() : options;
    }
}
