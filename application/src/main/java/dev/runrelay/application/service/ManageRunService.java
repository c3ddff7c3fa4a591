package dev.runrelay.application.service;

import dev.runrelay.application.usecase.CancelRunUseCase;
import dev.runrelay.application.usecase.ListRunsUseCase;
import dev.runrelay.application.usecase.RetrieveRunUseCase;
import dev.runrelay.application.usecase.UpdateRunUseCase;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/** Reading and steering runs that already exist. */
public final class ManageRunService implements CancelRunUseCase, RetrieveRunUseCase, ListRunsUseCase, UpdateRunUseCase {

    private final RunPort runs;

    public ManageRunService(RunPort runs) {
        this.runs = Objects.requireNonNull(runs, "runs");
    }

    @Override
    public CompletionStage<Run> cancelRun(CancelRunCommand command) {
        return runs.cancel(Commands.required(command));
    }

    @Override
    public CompletionStage<Run> retrieveRun(RetrieveRunCommand command) {
        return runs.retrieve(Commands.required(command));
    }

    @Override
    public CompletionStage<Page<Run>> listRuns(ListRunsCommand command) {
        return runs.list(Commands.required(command));
    }

    @Override
    public CompletionStage<Run> updateRun(UpdateRunCommand command) {
        return runs.update(Commands.required(command));
    }
}
