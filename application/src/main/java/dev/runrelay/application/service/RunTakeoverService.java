package dev.runrelay.application.service;

import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.error.ErrorTranslator;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunTakeoverPort;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The takeover rule (docs/adr/0025): one instance, the one that wins the lapsed producer lease in the
 * shared log, reads the run from the provider; everyone else follows the log it writes. The provider's
 * failures reach the transport as the domain's errors, through the provider's own translator.
 */
public final class RunTakeoverService implements TakeOverRunUseCase {

    private final RunEventLogPort eventLog;
    private final RunTakeoverPort takeover;
    private final ErrorTranslator errors;

    /**
     * @param takeover the provider's takeover operation, or null when its runs cannot be taken over
     *     (the sandbox keeps its world in one process)
     */
    public RunTakeoverService(RunEventLogPort eventLog, RunTakeoverPort takeover, ErrorTranslator errors) {
        this.eventLog = eventLog;
        this.takeover = takeover;
        this.errors = errors;
    }

    @Override
    public boolean available() {
        return takeover != null && eventLog != null;
    }

    @Override
    public CompletionStage<Optional<Flow.Publisher<RunEvent>>> claim(String threadId, String runId) {
        if (!available() || threadId == null || runId == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return eventLog.claimProducer(runId).thenApply(won -> won
                ? Optional.of(FlowBridge.toFlow(FlowBridge.toFlux(takeover.continueStream(threadId, runId))
                        .onErrorMap(failure -> errors.translate(failure).<Throwable>map(known -> known).orElse(failure))))
                : Optional.empty());
    }
}
