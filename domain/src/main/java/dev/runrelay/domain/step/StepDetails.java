package dev.runrelay.domain.step;

import java.util.List;

/** What a step did: created a message, or called tools. */
public sealed interface StepDetails {

    record MessageCreation(String messageId) implements StepDetails {}

    record ToolCalls(List<ToolCall> toolCalls) implements StepDetails {
        public ToolCalls {
            toolCalls = List.copyOf(toolCalls);
        }
    }
}
