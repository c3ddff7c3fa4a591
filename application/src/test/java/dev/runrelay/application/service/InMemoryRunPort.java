package dev.runrelay.application.service;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.fixtures.TestRuns;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.SortOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A provider's runs kept in a map: enough behaviour to tell delegation from invention. */
final class InMemoryRunPort implements RunPort {

    private final Map<String, Run> runs = new LinkedHashMap<>();
    final List<Object> received = new ArrayList<>();

    InMemoryRunPort with(Run run) {
        runs.put(run.id(), run);
        return this;
    }

    @Override
    public CompletionStage<Run> create(CreateRunCommand command) {
        received.add(command);
        var run = TestRuns.aRun().withId("run_" + (runs.size() + 1)).withThreadId(command.threadId())
                .withAssistantId(command.assistantId()).build();
        runs.put(run.id(), run);
        return CompletableFuture.completedFuture(run);
    }

    @Override
    public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
        received.add(command);
        var run = TestRuns.aRun().withId("run_" + (runs.size() + 1)).withAssistantId(command.assistantId()).build();
        runs.put(run.id(), run);
        return CompletableFuture.completedFuture(run);
    }

    @Override
    public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
        received.add(command);
        return find(command.threadId(), command.runId());
    }

    @Override
    public CompletionStage<Page<Run>> list(ListRunsCommand command) {
        received.add(command);
        var order = Comparator.comparing(Run::createdAt);
        var page = runs.values().stream()
                .filter(run -> run.threadId().equals(command.threadId()))
                .sorted(command.page().order() == SortOrder.ASC ? order : order.reversed())
                .limit(command.page().limit())
                .toList();
        boolean hasMore = runs.values().stream().filter(run -> run.threadId().equals(command.threadId())).count()
                > page.size();
        return CompletableFuture.completedFuture(new Page<>(
                page,
                page.isEmpty() ? null : page.getFirst().id(),
                page.isEmpty() ? null : page.getLast().id(),
                hasMore));
    }

    @Override
    public CompletionStage<Run> update(UpdateRunCommand command) {
        received.add(command);
        return replace(command.threadId(), command.runId(), run -> copy(run).withMetadata(command.metadata()).build());
    }

    @Override
    public CompletionStage<Run> cancel(CancelRunCommand command) {
        received.add(command);
        return replace(command.threadId(), command.runId(),
                run -> copy(run).withStatus(RunStatus.CANCELLING).build());
    }

    @Override
    public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
        received.add(command);
        return replace(command.threadId(), command.runId(),
                run -> copy(run).withStatus(RunStatus.IN_PROGRESS).build());
    }

    private CompletionStage<Run> find(String threadId, String runId) {
        Run run = runs.get(runId);
        if (run == null || !run.threadId().equals(threadId)) {
            return CompletableFuture.failedFuture(new RunRelayException(ErrorCode.NOT_FOUND, "No run " + runId + "."));
        }
        return CompletableFuture.completedFuture(run);
    }

    private CompletionStage<Run> replace(String threadId, String runId, java.util.function.UnaryOperator<Run> change) {
        return find(threadId, runId).thenApply(run -> {
            Run changed = change.apply(run);
            runs.put(changed.id(), changed);
            return changed;
        });
    }

    private static TestRuns.Builder copy(Run run) {
        return TestRuns.aRun().withId(run.id()).withThreadId(run.threadId()).withAssistantId(run.assistantId())
                .withStatus(run.status()).withCreatedAt(run.createdAt()).withMetadata(run.metadata());
    }
}
