package dev.runrelay.domain.run;

import java.util.List;

/** What a run in {@link RunStatus#REQUIRES_ACTION} waits for: the outputs of these tool calls. */
public record RequiredAction(List<RequiredToolCall> toolCalls) {

    public RequiredAction {
        toolCalls = List.copyOf(toolCalls);
    }
}
