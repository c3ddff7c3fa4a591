package dev.runrelay.domain.run;

import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.shared.Check;
import java.util.HashSet;
import java.util.List;

/** Answer the tool calls a run requires, so it goes on. */
public record SubmitToolOutputsCommand(String threadId, String runId, List<ToolOutput> toolOutputs) {

    public SubmitToolOutputsCommand {
        Check.id("threadId", threadId);
        Check.id("runId", runId);
        toolOutputs = Check.nonEmptyList("toolOutputs", toolOutputs);
        var seen = new HashSet<String>();
        for (ToolOutput output : toolOutputs) {
            if (!seen.add(output.toolCallId())) {
                throw new InvalidRequestException(
                        "toolOutputs", "answers tool call " + output.toolCallId() + " more than once");
            }
        }
    }
}
