package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;

/** The client's answer to one required tool call. An empty output is allowed; a missing one is not. */
public record ToolOutput(String toolCallId, String output) {

    public ToolOutput {
        Check.id("toolCallId", toolCallId);
        Check.present("output", output);
    }
}
