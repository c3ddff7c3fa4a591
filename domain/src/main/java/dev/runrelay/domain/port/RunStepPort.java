package dev.runrelay.domain.port;

import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.concurrent.CompletionStage;

/** A provider's run steps. Non-blocking, like {@link RunPort}. */
public interface RunStepPort {

    CompletionStage<Page<RunStep>> list(ListRunStepsCommand command);

    CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command);
}
