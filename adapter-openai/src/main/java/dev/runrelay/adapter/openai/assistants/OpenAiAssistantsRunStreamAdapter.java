package dev.runrelay.adapter.openai.assistants;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.adapter.openai.transport.SseStreams;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Run streams: openai-java sends the request (its params, headers and typed HTTP errors); the body is
 * read on the connection's event loop ({@link SseStreams}) and each event is turned into domain events
 * by {@link AssistantEventStream} and one {@link AssistantStreamMapper} per subscription. Cancelling the
 * subscription closes the connection at once. Events flow with the subscriber's demand; the transport
 * buffers what the connection delivers ahead of it.
 */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class OpenAiAssistantsRunStreamAdapter implements RunStreamPort {

    private final OpenAIClientAsync client;

    OpenAiAssistantsRunStreamAdapter(OpenAIClientAsync client) {
        this.client = client;
    }

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return stream(() -> client.beta().threads().runs().withRawResponse()
                .createStreaming(AssistantsRequests.createRun(command)));
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return stream(() -> client.beta().threads().withRawResponse()
                .createAndRunStreaming(AssistantsRequests.createThreadAndRun(command)));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return stream(() -> client.beta().threads().runs().withRawResponse()
                .submitToolOutputsStreaming(AssistantsRequests.submitToolOutputs(command)));
    }

    private Flow.Publisher<RunEvent> stream(
            Supplier<CompletableFuture<HttpResponseFor<StreamResponse<AssistantStreamEvent>>>> open) {
        Flux<RunEvent> events = Flux.defer(() -> {
            var mapper = new AssistantStreamMapper(null);
            return SseStreams.events(open, (event, response) -> AssistantEventStream.map(event, response, mapper))
                    .concatMapIterable(mapped -> mapped)
                    .concatWith(Mono.fromCallable(mapper::end))
                    .onErrorMap(OpenAiAssistantsRunStreamAdapter::streamFailure);
        });
        return FlowBridge.toFlow(events);
    }

    /**
     * openai-java's exceptions pass through for the provider's translator, except data that cannot be
     * read: the stream cannot go on, which is the domain's stream_interrupted.
     */
    private static Throwable streamFailure(Throwable failure) {
        if (failure instanceof OpenAIInvalidDataException invalidData) {
            return StreamFailures.interrupted("OpenAI sent stream data that could not be read", null, invalidData);
        }
        return failure;
    }
}
