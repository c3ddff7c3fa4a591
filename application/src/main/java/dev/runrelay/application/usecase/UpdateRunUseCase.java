package dev.runrelay.application.usecase;

import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.UpdateRunCommand;
import java.util.concurrent.CompletionStage;

/** Replace a run's metadata. */
public interface UpdateRunUseCase {

    CompletionStage<Run> updateRun(UpdateRunCommand command);
}
