package dev.runrelay.adapter.openai.assistants;

import com.openai.client.OpenAIClientAsync;
import dev.runrelay.adapter.openai.OpenAiClients;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.models.beta.assistants.AssistantStreamEvent;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
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

    private static final java.util.concurrent.Executor CLOSER = java.util.concurrent.Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("openai-stream-close-", 0).factory());

    private final OpenAIClientAsync client;
    private final OpenAiClients callHandles;

    /** @param callHandles where to get handles that cancel a stream's HTTP call; null to rely on closing alone */
    OpenAiAssistantsRunStreamAdapter(OpenAIClientAsync client, OpenAiClients callHandles) {
        this.client = client;
        this.callHandles = callHandles;
    }

    @Override
    public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
        return stream(handle -> client.beta().threads().runs().createStreaming(
                AssistantsRequests.createRun(command).toBuilder().putAllAdditionalHeaders(handle).build()));
    }

    @Override
    public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
        return stream(handle -> client.beta().threads().createAndRunStreaming(
                AssistantsRequests.createThreadAndRun(command).toBuilder().putAllAdditionalHeaders(handle).build()));
    }

    @Override
    public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
        return stream(handle -> client.beta().threads().runs().submitToolOutputsStreaming(
                AssistantsRequests.submitToolOutputs(command).toBuilder().putAllAdditionalHeaders(handle).build()));
    }

    /** @param open sends the request with the given extra headers (the call handle's) */
    private Flow.Publisher<RunEvent> stream(
            Function<Map<String, List<String>>, AsyncStreamResponse<AssistantStreamEvent>> open) {
        Flux<RunEvent> events = Flux.create(sink -> {
            OpenAiClients.CallHandle handle = callHandles == null ? null : callHandles.openCallHandle();
            AsyncStreamResponse<AssistantStreamEvent> response;
            try {
                response = open.apply(handle == null ? Map.of()
                        : Map.of(OpenAiClients.CALL_HANDLE_HEADER, List.of(handle.id())));
            } catch (RuntimeException notSent) {
                if (handle != null) {
                    handle.close();
                }
                throw notSent;
            }
            AtomicBoolean finished = new AtomicBoolean();
            AtomicBoolean endedByProvider = new AtomicBoolean();
            // Any end: stop reading. On cancel, drop the connection at once (the call handle), then
            // close the response; closing blocks (OkHttp drains the body up to 100 ms) and cancel may
            // come from a Netty event loop, so it runs on a virtual thread.
            sink.onDispose(() -> {
                finished.set(true);
                if (handle != null) {
                    if (endedByProvider.get()) {
                        handle.close();
                    } else {
                        handle.cancel();
                    }
                }
                CLOSER.execute(response::close);
            });
            response.subscribe(new EventHandler(sink, finished, endedByProvider));
        }, FluxSink.OverflowStrategy.BUFFER);
        return JdkFlowAdapter.publisherToFlowPublisher(events);
    }

    /** Runs on openai-java's stream-handler executor (virtual threads, see OpenAiClients). */
    private static final class EventHandler implements AsyncStreamResponse.Handler<AssistantStreamEvent> {

        private final FluxSink<RunEvent> sink;
        private final AtomicBoolean finished;
        private final AtomicBoolean endedByProvider;
        private final AssistantStreamMapper mapper = new AssistantStreamMapper(null);

        EventHandler(FluxSink<RunEvent> sink, AtomicBoolean finished, AtomicBoolean endedByProvider) {
            this.sink = sink;
            this.finished = finished;
            this.endedByProvider = endedByProvider;
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
            endedByProvider.set(true);
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
                return StreamFailures.interrupted("OpenAI sent stream data that could not be read", null, invalidData);
            }
            return cause;
        }
    }
}
