package dev.runrelay.application.service;

import dev.runrelay.application.usecase.ListRunStepsUseCase;
import dev.runrelay.application.usecase.RetrieveRunStepUseCase;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

public final class InspectRunStepsService implements ListRunStepsUseCase, RetrieveRunStepUseCase {

    private final RunStepPort steps;

    public InspectRunStepsService(RunStepPort steps) {
        this.steps = Objects.requireNonNull(steps, "steps");
    }

    @Override
    public CompletionStage<Page<RunStep>> listRunSteps(ListRunStepsCommand command) {
        return steps.list(Commands.required(command));
    }

    @Override
    public CompletionStage<RunStep> retrieveRunStep(RetrieveRunStepCommand command) {
        return steps.retrieve(Commands.required(command));
    }
}
