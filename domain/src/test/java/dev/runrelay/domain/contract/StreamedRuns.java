package dev.runrelay.domain.contract;

import dev.runrelay.domain.contract.RunPortContract.RunIds;
import dev.runrelay.domain.contract.RunPortContract.WaitingRun;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RequiredToolCall;
import dev.runrelay.domain.run.RunStatus;
import java.util.List;
import java.util.Map;

/**
 * Brings a provider that keeps state (the sandbox, the Responses fake) into the state a contract case
 * needs, by streaming runs through its own {@link dev.runrelay.domain.port.RunStreamPort} to their end.
 */
public final class StreamedRuns {

    private StreamedRuns() {}

    /** A new thread with one run streamed to its end, which must be {@code expected}. */
    public static RunIds newThreadRun(Provider provider, String assistantId, String input, RunStatus expected) {
        return ended(RunStreamPortContract.Outcome.of(provider.streams().createThreadAndRunAndStream(
                new CreateThreadAndRunCommand(assistantId, List.of(MessageInput.user(input)), Map.of(), null))), expected);
    }

    /** One more run in {@code threadId}, streamed to its end, which must be {@code expected}. */
    public static RunIds nextRun(Provider provider, String threadId, String assistantId, String input, RunStatus expected) {
        return ended(RunStreamPortContract.Outcome.of(provider.streams().createAndStream(
                new CreateRunCommand(threadId, assistantId, List.of(MessageInput.user(input)), null))), expected);
    }

    /** A new thread whose run waits for tool outputs. */
    public static WaitingRun newWaitingRun(Provider provider, String assistantId, String input) {
        var outcome = RunStreamPortContract.Outcome.of(provider.streams().createThreadAndRunAndStream(
                new CreateThreadAndRunCommand(assistantId, List.of(MessageInput.user(input)), Map.of(), null)));
        if (outcome.failure() != null) {
            throw new AssertionError("the run failed", outcome.failure());
        }
        RunEvent.RequiresAction action = outcome.events().stream()
                .filter(RunEvent.RequiresAction.class::isInstance).map(RunEvent.RequiresAction.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("the run did not wait for tool outputs: " + outcome.events()));
        return new WaitingRun(action.threadId(), action.runId(),
                action.toolCalls().stream().map(RequiredToolCall::id).toList());
    }

    private static RunIds ended(RunStreamPortContract.Outcome outcome, RunStatus expected) {
        if (outcome.failure() != null) {
            throw new AssertionError("the run failed", outcome.failure());
        }
        if (!(outcome.events().getLast() instanceof RunEvent.StreamEnded end)) {
            throw new AssertionError("the stream did not end with StreamEnded: " + outcome.events());
        }
        if (end.finalStatus() != expected) {
            throw new AssertionError("the run ended " + end.finalStatus() + ", expected " + expected);
        }
        return new RunIds(end.threadId(), end.runId());
    }
}
