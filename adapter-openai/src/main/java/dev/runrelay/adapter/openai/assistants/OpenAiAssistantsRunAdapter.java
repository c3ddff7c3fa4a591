package dev.runrelay.adapter.openai.assistants;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.JsonField;
import dev.runrelay.adapter.openai.OpenAiErrorTranslator;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Runs through openai-java's async Assistants client: no thread waits for an answer. */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class OpenAiAssistantsRunAdapter implements RunPort {

    private static final OpenAiErrorTranslator TRANSLATOR = new OpenAiErrorTranslator();

    private final OpenAIClientAsync client;

    OpenAiAssistantsRunAdapter(OpenAIClientAsync client) {
        this.client = client;
    }

    @Override
    public CompletionStage<Run> create(CreateRunCommand command) {
        return call(() -> client.beta().threads().runs().create(AssistantsRequests.createRun(command)))
                .thenApply(AssistantsMapping::run);
    }

    @Override
    public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
        return call(() -> client.beta().threads().createAndRun(AssistantsRequests.createThreadAndRun(command)))
                .thenApply(AssistantsMapping::run);
    }

    @Override
    public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
        return call(() -> client.beta().threads().runs().retrieve(AssistantsRequests.retrieve(command)))
                .thenApply(AssistantsMapping::run);
    }

    @Override
    public CompletionStage<Page<Run>> list(ListRunsCommand command) {
        return call(() -> client.beta().threads().runs().list(AssistantsRequests.list(command)))
                .thenApply(page -> new Page<>(
                        page.data().stream().map(AssistantsMapping::run).toList(),
                        known(page.response()._firstId()),
                        known(page.response()._lastId()),
                        page.hasMore().orElse(false)));
    }

    @Override
    public CompletionStage<Run> update(UpdateRunCommand command) {
        return call(() -> client.beta().threads().runs().update(AssistantsRequests.update(command)))
                .thenApply(AssistantsMapping::run);
    }

    @Override
    public CompletionStage<Run> cancel(CancelRunCommand command) {
        return call(() -> client.beta().threads().runs().cancel(AssistantsRequests.cancel(command)))
                .thenApply(AssistantsMapping::run);
    }

    @Override
    public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
        return call(() -> client.beta().threads().runs().submitToolOutputs(AssistantsRequests.submitToolOutputs(command)))
                .thenApply(AssistantsMapping::run)
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(namingToolOutputs(failure)));
    }

    /**
     * The ids name the run (a wrong one is {@code not_found}), so a request the API calls invalid here is
     * about the outputs: {@code invalid_request} naming {@code toolOutputs}, as on every provider.
     */
    private static Throwable namingToolOutputs(Throwable failure) {
        Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        return TRANSLATOR.translate(cause)
                .filter(translated -> translated.code() == ErrorCode.INVALID_REQUEST)
                .<Throwable>map(translated -> new InvalidRequestException("toolOutputs", translated.getMessage()))
                .orElse(cause);
    }

    static String known(JsonField<String> field) {
        return field.asKnown().orElse(null);
    }

    /** A request that cannot even be built fails the stage, like every other failure of the port. */
    static <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> request) {
        try {
            return request.get();
        } catch (RuntimeException failure) {
            return CompletableFuture.failedFuture(failure);
        }
    }
}
