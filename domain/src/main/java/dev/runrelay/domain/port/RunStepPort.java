package dev.runrelay.domain.port;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A provider's run steps. Non-blocking, like {@link RunPort}. */
public interface RunStepPort {

    CompletionStage<Page<RunStep>> list(ListRunStepsCommand command);

    CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command);

    /**
     * The finished assistant messages the run wrote (what its {@code message_creation} steps created),
     * oldest first. Recovery reads them to deliver a final answer the broken stream did not. A provider
     * that cannot tell answers {@code unsupported_operation}.
     */
    default CompletionStage<List<Message>> listMessages(ListRunMessagesCommand command) {
        return CompletableFuture.failedFuture(new RunRelayException(ErrorCode.UNSUPPORTED_OPERATION,
                "This provider cannot list the messages of a run."));
    }
}
