package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.Pages;
import dev.runrelay.domain.step.FileSearchResult;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import dev.runrelay.domain.step.StepDetails;
import dev.runrelay.domain.step.StepInclude;
import dev.runrelay.domain.step.ToolCall;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import reactor.core.publisher.Mono;

/** A run's steps are the output items of its responses; a step's id is its item's id. */
final class OpenAiResponsesRunStepAdapter implements RunStepPort {

    private final ResponsesRuns runs;

    OpenAiResponsesRunStepAdapter(ResponsesRuns runs) {
        this.runs = runs;
    }

    @Override
    public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
        return steps(command.threadId(), command.runId(), command.include())
                .map(steps -> Pages.of(steps, RunStep::id, command.page()))
                .toFuture();
    }

    @Override
    public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
        return steps(command.threadId(), command.runId(), command.include())
                .map(steps -> steps.stream().filter(step -> step.id().equals(command.stepId())).findFirst()
                        .orElseThrow(() -> new RunRelayException(ErrorCode.NOT_FOUND,
                                "No step " + command.stepId() + " in run " + command.runId())))
                .toFuture();
    }

    /** The messages of the run's responses, oldest first: each finished {@code message} output item. */
    @Override
    public CompletionStage<List<Message>> listMessages(ListRunMessagesCommand command) {
        return runs.find(command.threadId(), command.runId()).flatMap(record -> runs.responses(record).map(responses -> {
            var messages = new ArrayList<Message>();
            for (ResponseView response : responses) {
                for (ResponseView.OutputItem item : response.output()) {
                    if (item.isMessage() && !"in_progress".equals(item.status())) {
                        messages.add(new Message(item.id(), record.threadId(), record.runId(), ResponseMapping.text(item),
                                ResponseMapping.annotations(item), !"completed".equals(item.status())));
                    }
                }
            }
            return List.copyOf(messages);
        })).toFuture();
    }

    /** All steps of the run, oldest first. */
    private Mono<List<RunStep>> steps(String threadId, String runId, Set<StepInclude> include) {
        boolean withContent = include.contains(StepInclude.FILE_SEARCH_RESULT_CONTENT);
        return runs.find(threadId, runId).flatMap(record -> runs.responses(record).map(responses -> {
            var steps = new ArrayList<RunStep>();
            for (ResponseView response : responses) {
                for (ResponseView.OutputItem item : response.output()) {
                    ResponseMapping.step(item, ResponsesRuns.view(record), ResponseMapping.instant(response.createdAt()),
                                    ResponseMapping.finishedStatus(item))
                            .map(step -> withContent ? step : withoutContent(step))
                            .ifPresent(steps::add);
                }
            }
            return steps;
        }));
    }

    private static RunStep withoutContent(RunStep step) {
        if (!(step.details() instanceof StepDetails.ToolCalls calls)) {
            return step;
        }
        List<ToolCall> stripped = calls.toolCalls().stream().map(call -> call instanceof ToolCall.FileSearch search
                ? (ToolCall) new ToolCall.FileSearch(search.id(), search.results().stream()
                        .map(r -> new FileSearchResult(r.fileId(), r.fileName(), r.score(), List.of())).toList())
                : call).toList();
        return new RunStep(step.id(), step.runId(), step.threadId(), step.assistantId(), step.type(), step.status(),
                new StepDetails.ToolCalls(stripped), step.usage(), step.createdAt(), step.completedAt(), step.cancelledAt(),
                step.failedAt(), step.expiredAt(), step.lastError(), step.metadata());
    }

}
