package dev.runrelay.adapter.openai.assistants;

import static dev.runrelay.adapter.openai.assistants.OpenAiAssistantsRunAdapter.call;
import static dev.runrelay.adapter.openai.assistants.OpenAiAssistantsRunAdapter.known;

import com.openai.client.OpenAIClientAsync;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
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
}
