package dev.runrelay.application.usecase;

import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.Run;
import java.util.concurrent.CompletionStage;

/** Ask the provider to cancel a run; the run passes through cancelling to cancelled. */
public interface CancelRunUseCase {

    CompletionStage<Run> cancelRun(CancelRunCommand command);
}
