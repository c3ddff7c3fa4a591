package dev.runrelay.application.usecase;

import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.concurrent.CompletionStage;

/** Read one step of a run. */
public interface RetrieveRunStepUseCase {

    CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command);
}
