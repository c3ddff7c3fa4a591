package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.port.RunStreamPort;
import dev.runrelay.domain.run.CancelRunCommand;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.ListRunsCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.UpdateRunCommand;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.step.ListRunStepsCommand;
import dev.runrelay.domain.step.RetrieveRunStepCommand;
import dev.runrelay.domain.step.RunStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * An in-memory provider whose ports follow a script: each port call takes the next step (fail,
 * throw at assembly, answer, stream some events then end or fail, stall). Without a step, calls
 * answer {@link #RUN} and streams send {@link #TEXT_STREAM}.
 */
final class ScriptedProvider {

    static final Run RUN = new Run(
            "run_1", "thread_1", "asst_1", RunStatus.COMPLETED, "gpt-test", null, null,
            Instant.EPOCH, null, null, null, null, null, null, null, null, null, null, null);

    static final List<RunEvent> TEXT_STREAM = List.of(
            new RunEvent.TextCreated("msg_1", 0),
            new RunEvent.TextDelta("msg_1", 0, "Hel", List.of()),
            new RunEvent.TextDelta("msg_1", 0, "lo", List.of()),
            new RunEvent.StreamEnded("thread_1", "run_1", RunStatus.COMPLETED, null));

    sealed interface Step {}

    /** The returned stage fails, or the stream fails before any event. */
    record Fail(RuntimeException failure) implements Step {}

    /** The port method throws instead of returning. */
    record Throw(RuntimeException failure) implements Step {}

    record Answer(Object value) implements Step {}

    /**
     * Sends {@code events} (waiting {@code gap} before each), then fails with {@code then}, or
     * stalls when {@code stall}, or completes.
     */
    record Stream(List<RunEvent> events, Duration gap, RuntimeException then, boolean stall) implements Step {}

    /** Never answers, never emits. */
    record Stall() implements Step {}

    static Step fail(RuntimeException failure) {
        return new Fail(failure);
    }

    static Step events(List<RunEvent> events) {
        return new Stream(events, Duration.ZERO, null, false);
    }

    static Step eventsThenFail(List<RunEvent> events, RuntimeException failure) {
        return new Stream(events, Duration.ZERO, failure, false);
    }

    private final Queue<Step> script = new ConcurrentLinkedQueue<>();
    private final List<String> invocations = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger openStreams = new AtomicInteger();
    final AtomicInteger cancelledStreams = new AtomicInteger();

    ScriptedProvider then(Step... steps) {
        script.addAll(List.of(steps));
        return this;
    }

    /** How many times the port methods were invoked (attempts), whatever the method. */
    int invocations() {
        return invocations.size();
    }

    List<String> invokedMethods() {
        synchronized (invocations) {
            return List.copyOf(invocations);
        }
    }

    Provider provider() {
        return new Provider("fake", new Runs(), new Steps(), new Streams(), new FakeSdk.Translator());
    }

    @SuppressWarnings("unchecked")
    <T> CompletionStage<T> call(String method) {
        invocations.add(method);
        Step step = script.poll();
        return switch (step) {
            case null -> CompletableFuture.completedFuture((T) RUN);
            case Fail fail -> CompletableFuture.failedFuture(fail.failure());
            case Throw thrown -> throw thrown.failure();
            case Answer answer -> CompletableFuture.completedFuture((T) answer.value());
            case Stall stall -> new CompletableFuture<>();
            case Stream stream -> throw new IllegalStateException("a stream step scripted for a call");
        };
    }

    Flow.Publisher<RunEvent> stream(String method) {
        invocations.add(method);
        Step step = script.poll();
        Flux<RunEvent> events = switch (step) {
            case null -> Flux.fromIterable(TEXT_STREAM);
            case Fail fail -> Flux.error(fail.failure());
            case Throw thrown -> throw thrown.failure();
            case Stall stall -> Flux.never();
            case Stream stream -> {
                Flux<RunEvent> sent = stream.gap().isZero()
                        ? Flux.fromIterable(stream.events())
                        : Flux.fromIterable(stream.events()).delayElements(stream.gap());
                yield sent.concatWith(
                        stream.then() != null ? Flux.error(stream.then()) : stream.stall() ? Flux.never() : Flux.empty());
            }
            case Answer answer -> throw new IllegalStateException("an answer scripted for a stream");
        };
        return JdkFlowAdapter.publisherToFlowPublisher(events.doOnSubscribe(s -> openStreams.incrementAndGet())
                .doOnCancel(cancelledStreams::incrementAndGet)
                .doFinally(signal -> openStreams.decrementAndGet()));
    }

    private final class Runs implements RunPort {
        @Override
        public CompletionStage<Run> create(CreateRunCommand command) {
            return call("create");
        }

        @Override
        public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
            return call("createThreadAndRun");
        }

        @Override
        public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
            return call("retrieve");
        }

        @Override
        public CompletionStage<Page<Run>> list(ListRunsCommand command) {
            return call("list");
        }

        @Override
        public CompletionStage<Run> update(UpdateRunCommand command) {
            return call("update");
        }

        @Override
        public CompletionStage<Run> cancel(CancelRunCommand command) {
            return call("cancel");
        }

        @Override
        public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
            return call("submitToolOutputs");
        }
    }

    private final class Steps implements RunStepPort {
        @Override
        public CompletionStage<Page<RunStep>> list(ListRunStepsCommand command) {
            return call("steps.list");
        }

        @Override
        public CompletionStage<RunStep> retrieve(RetrieveRunStepCommand command) {
            return call("steps.retrieve");
        }
    }

    private final class Streams implements RunStreamPort {
        @Override
        public Flow.Publisher<RunEvent> createAndStream(CreateRunCommand command) {
            return stream("createAndStream");
        }

        @Override
        public Flow.Publisher<RunEvent> createThreadAndRunAndStream(CreateThreadAndRunCommand command) {
            return stream("createThreadAndRunAndStream");
        }

        @Override
        public Flow.Publisher<RunEvent> submitToolOutputsAndStream(SubmitToolOutputsCommand command) {
            return stream("submitToolOutputsAndStream");
        }
    }
}
