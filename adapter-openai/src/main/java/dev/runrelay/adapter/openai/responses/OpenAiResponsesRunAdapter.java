package dev.runrelay.adapter.openai.responses;

import com.openai.models.responses.ResponseCreateParams;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunOptions;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.util.List;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/** Runs, request/response style, on background responses and the run ledger. */
final class OpenAiResponsesRunAdapter implements RunPort {

    private final ResponsesRuns runs;

    OpenAiResponsesRunAdapter(ResponsesRuns runs) {
        this.runs = runs;
    }

    @Override
    public CompletionStage<Run> create(CreateRunCommand command) {
        return Mono.defer(() -> start(command.threadId(), command.assistantId(), command.additionalMessages(), command.options()))
                .toFuture();
    }

    @Override
    public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
        return Mono.defer(() -> {
                    runs.requests.newTurn("conv_pending", command.assistantId(), command.messages(), command.options());
                    return Mono.fromCompletionStage(() -> runs.client.conversations()
                            .create(ResponseRequests.newConversation(command.threadMetadata())));
                })
                .flatMap(conversation -> start(conversation.id(), command.assistantId(), command.messages(), command.options()))
                .toFuture();
    }

    private Mono<Run> start(String threadId, String assistantId, List<MessageInput> messages, RunOptions options) {
        ResponseCreateParams params = runs.requests.newTurn(threadId, assistantId, messages, options);
        RunRecord started = RunRecord.started(ResponsesRuns.newRunId(), threadId, assistantId,
                runs.requests.model(assistantId, options), options.metadata(), runs.clock.instant());
        return runs.prepareThread(threadId)
                .then(Mono.fromCompletionStage(() -> runs.client.responses().create(params)).map(ResponseView::of))
                .flatMap(response -> {
                    RunRecord record = started.withResponse(response.id()).withStatus(RunStatus.IN_PROGRESS);
                    return Mono.fromCompletionStage(() -> runs.ledger.insert(record))
                            .map(ignored -> ResponseMapping.run(record, List.of(response), ResponseMapping.status(response)));
                });
    }

    @Override
    public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
        return runs.find(command.threadId(), command.runId()).flatMap(this::current).toFuture();
    }

    private Mono<Run> current(RunRecord record) {
        return runs.reconcile(record).map(s -> ResponseMapping.run(s.record(), s.responses(), s.status()));
    }

    /**
     * From the ledger alone (Responses has no list of runs): status as last recorded, expiry applied. A
     * thread without runs in the ledger is asked for at the provider, so an unknown one is {@code not_found}
     * as on every provider, not an empty page.
     */
    @Override
    public CompletionStage<Page<Run>> list(ListRunsCommand command) {
        return Mono.fromCompletionStage(() -> runs.ledger.listByThread(command.threadId(), command.page()))
                .flatMap(page -> page.data().isEmpty() && command.page().after() == null && command.page().before() == null
                        ? Mono.fromCompletionStage(() -> runs.client.conversations().retrieve(command.threadId()))
                                .thenReturn(page)
                        : Mono.just(page))
                .map(page -> new Page<>(
                        page.data().stream().map(record -> ResponseMapping.run(record, List.of(), listedStatus(record))).toList(),
                        page.firstId(), page.lastId(), page.hasMore()))
                .toFuture();
    }

    private RunStatus listedStatus(RunRecord record) {
        boolean overdue = record.status() == RunStatus.REQUIRES_ACTION && record.expiresAt() != null
                && !runs.clock.instant().isBefore(record.expiresAt());
        return overdue ? RunStatus.EXPIRED : record.status();
    }

    @Override
    public CompletionStage<Run> update(UpdateRunCommand command) {
        return runs.find(command.threadId(), command.runId())
                .flatMap(record -> runs.update(record.runId(), r -> r.withMetadata(command.metadata())))
                .flatMap(this::current)
                .toFuture();
    }

    @Override
    public CompletionStage<Run> cancel(CancelRunCommand command) {
        return runs.find(command.threadId(), command.runId())
                .flatMap(runs::expireIfOverdue)
                .flatMap(record -> {
                    if (record.status().isTerminal()) {
                        return Mono.error(new RunRelayException(ErrorCode.CONFLICT,
                                "Cannot cancel run " + record.runId() + " with status " + record.status().wireValue()));
                    }
                    if (record.status() == RunStatus.REQUIRES_ACTION) {
                        return runs.closePendingCalls(record, "cancelled")
                                .then(runs.update(record.runId(), r -> r.withStatus(RunStatus.CANCELLED)))
                                .flatMap(this::current);
                    }
                    if (record.lastResponseId() == null) {
                        return runs.update(record.runId(), r -> r.withStatus(RunStatus.CANCELLED)).flatMap(this::current);
                    }
                    return runs.cancelResponse(record.lastResponseId()).flatMap(response -> afterCancel(record, response));
                })
                .toFuture();
    }

    /**
     * A response may end before the cancel lands: one that completed, failed or ran out keeps that
     * status; one that left calls waiting has them answered and the run is cancelled.
     */
    private Mono<Run> afterCancel(RunRecord record, ResponseView response) {
        var waiting = ResponseEventMapper.waitingCalls(response);
        RunStatus responseStatus = ResponseMapping.status(response);
        RunStatus status = waiting.isEmpty() && responseStatus.isTerminal() ? responseStatus : RunStatus.CANCELLED;
        RunRecord withCalls = record.awaitingToolOutputs(waiting, runs.clock.instant());
        Mono<Void> close = waiting.isEmpty() ? Mono.empty() : runs.closePendingCalls(withCalls, "cancelled");
        return close.then(runs.update(record.runId(), r -> r.status().isTerminal() ? r
                        : r.withResponse(response.id()).withStatus(status)))
                .flatMap(this::current);
    }

    @Override
    public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
        return runs.claimForOutputs(command.threadId(), command.runId(), command.toolOutputs())
                .flatMap(claim -> {
                    var params = runs.requests.continuation(claim.claimed().threadId(), claim.claimed().model(), command.toolOutputs());
                    return Mono.fromCompletionStage(() -> runs.client.responses().create(params)).map(ResponseView::of)
                            .onErrorResume(failure -> runs.restoreIfNoResponse(claim.claimed(), claim.before()).then(Mono.error(failure)))
                            .flatMap(response -> runs.update(claim.claimed().runId(),
                                            r -> r.withResponse(response.id()).withStatus(RunStatus.IN_PROGRESS))
                                    .map(record -> ResponseMapping.run(record, List.of(response), ResponseMapping.status(response))));
                })
                .toFuture();
    }
}
