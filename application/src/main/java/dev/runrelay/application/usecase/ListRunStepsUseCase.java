package dev.runrelay.application.usecase;

import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.concurrent.CompletionStage;

/** Page through the steps of a run. */
public interface ListRunStepsUseCase {

    CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command);
}
