package dev.runrelay.application.service;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A provider's run steps kept in a list. */
final class InMemoryRunStepPort implements RunStepPort {

    private final List<RunStep> steps = new ArrayList<>();
    final List<Object> received = new ArrayList<>();

    InMemoryRunStepPort with(RunStep step) {
        steps.add(step);
        return this;
    }

    @Override
    public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
        received.add(command);
        var page = steps.stream()
                .filter(step -> step.threadId().equals(command.threadId()) && step.runId().equals(command.runId()))
                .limit(command.page().limit())
                .toList();
        return CompletableFuture.completedFuture(new Page<>(
                page, page.isEmpty() ? null : page.getFirst().id(), page.isEmpty() ? null : page.getLast().id(), false));
    }

    @Override
    public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
        received.add(command);
        return steps.stream()
                .filter(step -> step.id().equals(command.stepId()) && step.runId().equals(command.runId()))
                .findFirst()
                .<CompletionStage<RunStep>>map(CompletableFuture::completedFuture)
                .orElseGet(() -> CompletableFuture.failedFuture(
                        new RunRelayException(ErrorCode.NOT_FOUND, "No step " + command.stepId() + ".")));
    }
}
