package dev.runrelay.domain.port;

import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.util.concurrent.CompletionStage;

/**
 * A provider's runs, request/response style. Every method is non-blocking: it returns at once and
 * completes the stage later (exceptionally with the provider's failure, translated by the aspect).
 * The streaming variants of create and submit live in {@link RunStreamPort}.
 */
public interface RunPort {

    CompletionStage<Run> create(CreateRunCommand command);

    CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command);

    CompletionStage<Run> retrieve(RetrieveRunCommand command);

    CompletionStage<Page<Run>> list(ListRunsCommand command);

    CompletionStage<Run> update(UpdateRunCommand command);

    CompletionStage<Run> cancel(CancelRunCommand command);

    CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command);
}
