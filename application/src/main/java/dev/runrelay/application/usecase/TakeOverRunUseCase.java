package dev.runrelay.application.usecase;

import dev.runrelay.domain.event.RunEvent;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Takes over the stream of a run whose producing instance is gone (docs/adr/0025): asked by the
 * transport when a resumed client's log stopped without an end because the producer's lease lapsed.
 * Who may resume the run is decided before ({@link ResumeRunUseCase}).
 */
public interface TakeOverRunUseCase {

    /** Whether runs of this deployment's provider can be taken over at all (not the sandbox's). */
    boolean available();

    /**
     * Claims the run's production for this instance. With the claim, the provider's events of the run
     * from its current state to its end (they may repeat what the log holds; the caller drops that, and
     * appends the rest to the log); empty when another instance holds the run (it writes the log) or the
     * provider cannot continue runs.
     */
    CompletionStage<Optional<Flow.Publisher<RunEvent>>> claim(String threadId, String runId);
}
