package dev.runrelay.adapter.openai.responses;

import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Run streams on streamed background responses; each publisher is cold. */
final class OpenAiResponsesRunStreamAdapter implements RunStreamPort {

    private final ResponsesRuns runs;

    OpenAiResponsesRunStreamAdapter(ResponsesRuns runs) {
        this.runs = runs;
    }

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return FlowBridge.toFlow(Flux.defer(() -> {
            var params = runs.requests.newTurn(command.threadId(), command.assistantId(), command.additionalMessages(), command.options());
            var record = RunRecord.started(ResponsesRuns.newRunId(), command.threadId(), command.assistantId(),
                    runs.requests.model(command.assistantId(), command.options()), command.options().metadata(), runs.clock.instant());
            return runs.startAndStream(record, params).transform(events -> runs.abandonedIfNoEvent(events, record,
                    Mono.empty()));
        }));
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return FlowBridge.toFlow(Flux.defer(() -> {
            // Check the request before creating anything.
            var params = runs.requests.newTurn("conv_pending", command.assistantId(), command.messages(), command.options());
            String model = runs.requests.model(command.assistantId(), command.options());
            return Mono.fromCompletionStage(() -> runs.client.conversations()
                            .create(ResponseRequests.newConversation(command.threadMetadata())))
                    .flatMapMany(conversation -> {
                        var record = RunRecord.started(ResponsesRuns.newRunId(), conversation.id(), command.assistantId(),
                                model, command.options().metadata(), runs.clock.instant());
                        // Creating the conversation is not the start of the stream: ThreadCreated comes with the
                        // response's first event, so a 429/503 before it may be retried (by the aspect), and the
                        // conversation of an attempt that never started is deleted rather than left behind.
                        return runs.startAndStream(record, params.toBuilder().conversation(conversation.id()).build())
                                .transform(events -> ResponsesRuns.announcedAtFirstEvent(
                                        events, new RunEvent.ThreadCreated(conversation.id())))
                                .transform(events -> runs.abandonedIfNoEvent(
                                        events, record, runs.deleteConversation(conversation.id())));
                    });
        }));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return FlowBridge.toFlow(
                runs.claimForOutputs(command.threadId(), command.runId(), command.toolOutputs())
                        .flatMapMany(claim -> runs.continueAndStream(claim.claimed(), claim.before(), command.toolOutputs())));
    }
}
