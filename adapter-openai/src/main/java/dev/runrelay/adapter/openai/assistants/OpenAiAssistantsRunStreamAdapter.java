package dev.runrelay.adapter.openai.assistants;

import com.openai.client.OpenAIClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Run streams through openai-java's async streaming. Each subscription sends one request; the
 * events are mapped by one {@link AssistantStreamMapper}. Cancelling the subscription closes the
 * HTTP response, which ends openai-java's read loop.
 *
 * <p>openai-java pushes events as they are read, without demand; they are buffered here until the
 * subscriber asks for them (a run's events are few compared with what one subscriber can take).
 */
@SuppressWarnings("deprecation") // the Assistants API is deprecated in openai-java; this adapter exists to speak it
final class OpenAiAssistantsRunStreamAdapter implements RunStreamPort {

    private final OpenAIClientAsync client;

    OpenAiAssistantsRunStreamAdapter(OpenAIClientAsync client) {
        this.client = client;
    }

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return stream(() -> client.beta().threads().runs().createStreaming(AssistantsRequests.createRun(command)));
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return stream(() -> client.beta().threads().createAndRunStreaming(AssistantsRequests.createThreadAndRun(command)));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return stream(() -> client.beta().threads().runs()
                .submitToolOutputsStreaming(AssistantsRequests.submitToolOutputs(command)));
    }

    private static Flow.Publisher<RunEvent> stream(Supplier<AsyncStreamResponse<AssistantStreamEvent>> open) {
        Flux<RunEvent> events = Flux.create(sink -> {
            AsyncStreamResponse<AssistantStreamEvent> response = open.get();
            AtomicBoolean finished = new AtomicBoolean();
            // Cancel (or any end): close the HTTP response so nothing keeps reading it.
            sink.onDispose(() -> {
                finished.set(true);
                response.close();
            });
            response.subscribe(new EventHandler(sink, finished));
        }, FluxSink.OverflowStrategy.BUFFER);
        return JdkFlowAdapter.publisherToFlowPublisher(events);
    }

    /** Runs on openai-java's stream-handler executor (virtual threads, see OpenAiClients). */
    private static final class EventHandler implements AsyncStreamResponse.Handler<AssistantStreamEvent> {

        private final FluxSink<RunEvent> sink;
        private final AtomicBoolean finished;
        private final AssistantStreamMapper mapper = new AssistantStreamMapper(null);

        EventHandler(FluxSink<RunEvent> sink, AtomicBoolean finished) {
            this.sink = sink;
            this.finished = finished;
        }

        @Override
        public void onNext(AssistantStreamEvent event) {
            if (finished.get()) {
                return;
            }
            for (RunEvent mapped : mapper.map(event)) {
                sink.next(mapped);
            }
        }

        @Override
        public void onComplete(Optional<Throwable> error) {
            if (finished.getAndSet(true)) {
                return; // cancelled: the close we caused is not news to anyone
            }
            if (error.isPresent()) {
                sink.error(streamFailure(error.get()));
                return;
            }
            try {
                RunEvent.StreamEnded ended = mapper.end();
                sink.next(ended);
                sink.complete();
            } catch (RunRelayException interrupted) {
                sink.error(interrupted);
            }
        }

        /**
         * openai-java's exceptions pass through for the provider's translator, except data that
         * cannot be read: the stream cannot go on, which is the domain's stream_interrupted.
         */
        private static Throwable streamFailure(Throwable failure) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof OpenAIInvalidDataException invalidData) {
                return new RunRelayException(ErrorCode.STREAM_INTERRUPTED,
                        "OpenAI sent stream data that could not be read", null, null, false, invalidData);
            }
            return cause;
        }
    }
}
