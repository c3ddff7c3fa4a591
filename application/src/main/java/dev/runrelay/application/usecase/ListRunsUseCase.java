package dev.runrelay.application.usecase;

import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.shared.Page;
import java.util.concurrent.CompletionStage;

/** Page through the runs of a thread. */
public interface ListRunsUseCase {

    CompletionStage<Page<Run>> listRuns(ListRunsCommand command);
}
