package dev.runrelay.adapter.openai.assistants;

import static dev.runrelay.adapter.openai.assistants.OpenAiAssistantsRunAdapter.call;
import static dev.runrelay.adapter.openai.assistants.OpenAiAssistantsRunAdapter.known;

import com.openai.client.OpenAIClientAsync;
import com.openai.models.beta.threads.messages.MessageListParams;
import dev.runrelay.domain.message.ListRunMessagesCommand;
import dev.runrelay.domain.message.Message;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Run steps through openai-java's async Assistants client. */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class OpenAiAssistantsRunStepAdapter implements RunStepPort {

    private final OpenAIClientAsync client;

    OpenAiAssistantsRunStepAdapter(OpenAIClientAsync client) {
        this.client = client;
    }

    @Override
    public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
        return call(() -> client.beta().threads().runs().steps().list(AssistantsRequests.listSteps(command)))
                .thenApply(page -> new Page<>(
                        page.data().stream().map(AssistantsMapping::step).toList(),
                        known(page.response()._firstId()),
                        known(page.response()._lastId()),
                        page.hasMore().orElse(false)));
    }

    @Override
    public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
        return call(() -> client.beta().threads().runs().steps().retrieve(AssistantsRequests.retrieveStep(command)))
                .thenApply(AssistantsMapping::step);
    }

    /**
     * The run's messages from the thread's list filtered by run (oldest first; a run writes a handful). The
     * run is retrieved first: a filter on a run that does not exist is no proof of it, and an unknown run is
     * {@code not_found} on every provider.
     */
    @Override
    public CompletionStage<List<Message>> listMessages(ListRunMessagesCommand command) {
        return call(() -> client.beta().threads().runs().retrieve(
                        AssistantsRequests.retrieve(new RetrieveRunCommand(command.threadId(), command.runId()))))
                .thenCompose(run -> client.beta().threads().messages().list(MessageListParams.builder()
                        .threadId(command.threadId())
                        .runId(command.runId())
                        .order(MessageListParams.Order.ASC)
                        .limit(100)
                        .build()))
                .thenApply(page -> page.data().stream()
                        .filter(message -> message.role().equals(com.openai.models.beta.threads.messages.Message.Role.ASSISTANT))
                        .filter(message -> !"in_progress".equals(message.status().asString()))
                        .map(AssistantsMapping::message)
                        .toList());
    }
}
