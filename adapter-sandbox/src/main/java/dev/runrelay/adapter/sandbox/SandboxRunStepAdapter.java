package dev.runrelay.adapter.sandbox;

import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The steps of sandbox runs, the same snapshots the streams carried. */
final class SandboxRunStepAdapter implements RunStepPort {

    private final SandboxWorld world;

    SandboxRunStepAdapter(SandboxWorld world) {
        this.world = world;
    }

    @Override
    public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
        return SandboxRunAdapter.answer(() -> world.listSteps(command));
    }

    @Override
    public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
        return SandboxRunAdapter.answer(() -> world.retrieveStep(command));
    }

    @Override
    public CompletionStage<List<Message>> listMessages(ListRunMessagesCommand command) {
        return SandboxRunAdapter.answer(() -> world.listMessages(command));
    }
}
