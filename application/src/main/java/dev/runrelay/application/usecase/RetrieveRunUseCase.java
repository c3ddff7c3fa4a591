package dev.runrelay.application.usecase;

import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import java.util.concurrent.CompletionStage;

/** Read one run as it stands now. */
public interface RetrieveRunUseCase {

    CompletionStage<Run> retrieveRun(RetrieveRunCommand command);
}
