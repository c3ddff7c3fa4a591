package dev.runrelay.adapter.openai.assistants;

import com.openai.client.OpenAIClientAsync;
import com.openai.models.beta.threads.messages.MessageListParams;
import com.openai.models.beta.threads.runs.RunRetrieveParams;
import dev.runrelay.adapter.openai.OpenAiClients;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunTakeoverPort;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Takes over an Assistants run by polling it (docs/adr/0025): an Assistants run stream cannot be
 * re-attached to, but the run goes on at the provider without its stream. The run is retrieved every
 * {@code pollInterval} until it ends or waits for tool outputs; then its messages are listed and each is
 * told whole (start, its full text as one delta, message_done), then the final status and the end. The
 * caller drops what the log already delivered, so a client gets only the missing part of each message.
 *
 * <p>What polling cannot give: the fragments of function-call arguments and code input (the
 * {@code requires_action} event carries the whole calls).
 */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
public final class OpenAiAssistantsRunTakeoverAdapter implements RunTakeoverPort {

    /** How often a taken-over run is retrieved until it settles. */
    public static final Duration POLL_INTERVAL = Duration.ofMillis(500);

    /** Messages of one run listed at once: a run writes a handful. */
    private static final long MESSAGES_PAGE = 100;

    private final OpenAIClientAsync client;
    private final Duration pollInterval;

    OpenAiAssistantsRunTakeoverAdapter(OpenAIClientAsync client, Duration pollInterval) {
        this.client = client;
        this.pollInterval = pollInterval;
    }

    /** The takeover over clients the caller owns and closes (the provider's own). */
    public static RunTakeoverPort create(OpenAiClients clients, Duration pollInterval) {
        return new OpenAiAssistantsRunTakeoverAdapter(clients.async(), pollInterval);
    }

    @Override
    public Flow.Publisher<RunEvent> continueStream(String threadId, String runId) {
        Flux<Run> polls = Flux.interval(Duration.ZERO, pollInterval)
                .onBackpressureDrop()
                .concatMap(tick -> retrieve(threadId, runId))
                .takeUntil(OpenAiAssistantsRunTakeoverAdapter::settled);
        return FlowBridge.toFlow(Flux.defer(() -> {
            var lastStatus = new RunStatus[1];
            return polls.concatMap(run -> {
                if (!settled(run)) {
                    if (run.status() == lastStatus[0]) {
                        return Flux.empty();
                    }
                    lastStatus[0] = run.status();
                    return Flux.just(new RunEvent.RunStatusChanged(run));
                }
                return messages(threadId, runId).flatMapIterable(messages -> ending(run, messages));
            });
        }));
    }

    private static boolean settled(Run run) {
        return run.status().isTerminal() || run.status() == RunStatus.REQUIRES_ACTION;
    }

    private Mono<Run> retrieve(String threadId, String runId) {
        return Mono.fromCompletionStage(() -> OpenAiAssistantsRunAdapter.call(() -> client.beta().threads().runs()
                        .retrieve(RunRetrieveParams.builder().threadId(threadId).runId(runId).build())))
                .map(AssistantsMapping::run);
    }

    private Mono<List<Message>> messages(String threadId, String runId) {
        return Mono.fromCompletionStage(() -> OpenAiAssistantsRunAdapter.call(() -> client.beta().threads().messages()
                        .list(MessageListParams.builder().threadId(threadId).runId(runId)
                                .order(MessageListParams.Order.ASC).limit(MESSAGES_PAGE).build())))
                .map(page -> page.data().stream().map(AssistantsMapping::message).toList());
    }

    /** What the rest of the stream would have told of a settled run: its messages whole, its status, its end. */
    private static List<RunEvent> ending(Run run, List<Message> messages) {
        List<RunEvent> events = new ArrayList<>();
        for (Message message : messages) {
            events.add(new RunEvent.MessageCreated(message.id(), run.threadId(), run.id()));
            events.add(new RunEvent.TextCreated(message.id(), 0));
            if (!message.text().isEmpty()) {
                events.add(new RunEvent.TextDelta(message.id(), 0, message.text(), List.of()));
            }
            events.add(new RunEvent.MessageCompleted(message));
        }
        events.add(new RunEvent.RunStatusChanged(run));
        if (run.status() == RunStatus.REQUIRES_ACTION && run.requiredAction() != null) {
            events.add(new RunEvent.RequiresAction(run.threadId(), run.id(), run.requiredAction().toolCalls()));
        }
        if (run.usage() != null) {
            events.add(new RunEvent.UsageReported(run.id(), run.usage()));
        }
        events.add(new RunEvent.StreamEnded(run.threadId(), run.id(), run.status(), run.usage()));
        return events;
    }
}
