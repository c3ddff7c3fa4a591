package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Runs without streaming: a created run plays in the background, as at a real provider. */
final class SandboxRunAdapter implements RunPort {

    private final SandboxWorld world;

    SandboxRunAdapter(SandboxWorld world) {
        this.world = world;
    }

    @Override
    public CompletionStage<Run> create(CreateRunCommand command) {
        return answer(() -> world.createRun(command).accepted());
    }

    @Override
    public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
        return answer(() -> world.createThreadAndRun(command).accepted());
    }

    @Override
    public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
        return answer(() -> world.retrieve(command));
    }

    @Override
    public CompletionStage<Page<Run>> list(ListRunsCommand command) {
        return answer(() -> world.list(command));
    }

    @Override
    public CompletionStage<Run> update(UpdateRunCommand command) {
        return answer(() -> world.update(command));
    }

    @Override
    public CompletionStage<Run> cancel(CancelRunCommand command) {
        return answer(() -> world.cancel(command));
    }

    @Override
    public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
        return answer(() -> world.submitToolOutputs(command).accepted());
    }

    /** Memory answers at once; a failure completes the stage exceptionally instead of throwing. */
    static <T> CompletionStage<T> answer(Supplier<T> operation) {
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }
}
