package dev.runrelay.domain.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.run.CreateThreadAndRunCommand;
import dev.runrelay.domain.run.MessageInput;
import dev.runrelay.domain.run.SubmitToolOutputsCommand;
import dev.runrelay.domain.run.ToolOutput;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every provider's {@link dev.runrelay.domain.port.RunStreamPort} promises, whichever provider it
 * is: run once per provider (sandbox, OpenAI Assistants and OpenAI Responses through their fake
 * servers) by a subclass that prepares the provider's answers. JDK only: the stream is read by a plain
 * {@link Flow.Subscriber}.
 */
public abstract class RunStreamPortContract {

    protected static final Duration TIMEOUT = Duration.ofSeconds(15);

    /** The provider under test, its ports unguarded (the adapters' own contract). */
    protected abstract Provider provider();

    /** An assistant the provider knows. */
    protected abstract String assistantId();

    /** Makes the provider answer the next run with a short text answer. */
    protected abstract void prepareTextRun();

    /** How many stream requests reached the provider so far, or -1 when the provider cannot tell. */
    protected abstract int streamRequests();

    /** Makes the provider answer the next run with a long, slow text answer (seconds), to cancel midway. */
    protected abstract void prepareSlowTextRun();

    /**
     * How many stream connections the provider is writing right now, or -1 when the provider has no
     * upstream connection to close (the sandbox plays its runs in memory).
     */
    protected abstract int openUpstreamStreams();

    /** The stream's outcome as the error-handling aspect receives it: failures through the provider's translator. */
    protected Outcome outcome(Flow.Publisher<RunEvent> stream) {
        Outcome raw = Outcome.of(stream);
        Throwable failure = raw.failure();
        if (failure != null && !(failure instanceof RunRelayException)) {
            failure = provider().errorTranslator().translate(failure).map(Throwable.class::cast).orElse(failure);
        }
        return new Outcome(raw.events(), failure);
    }

    @Test
    void aStreamIsColdUntilSubscribed() {
        prepareTextRun();
        int before = streamRequests();
        org.junit.jupiter.api.Assumptions.assumeTrue(before >= 0, "the provider cannot count its requests");

        Flow.Publisher<RunEvent> stream = provider().streams().createThreadAndRunAndStream(newThreadRun());

        assertThat(streamRequests()).as("requests before subscribing").isEqualTo(before);
        Outcome outcome = outcome(stream);
        assertThat(outcome.failure()).isNull();
        assertThat(streamRequests()).isGreaterThan(before);
    }

    @Test
    void aNewThreadIsAnnouncedFirst_andStreamEndedComesLast_once() {
        prepareTextRun();

        Outcome outcome = outcome(provider().streams().createThreadAndRunAndStream(newThreadRun()));

        assertThat(outcome.failure()).isNull();
        assertThat(outcome.events().getFirst()).isInstanceOf(RunEvent.ThreadCreated.class);
        assertThat(outcome.events().stream().filter(RunEvent.ThreadCreated.class::isInstance)).hasSize(1);
        assertThat(outcome.events().getLast()).isInstanceOf(RunEvent.StreamEnded.class);
        assertThat(outcome.events().stream().filter(RunEvent.StreamEnded.class::isInstance)).hasSize(1);
    }

    @Test
    void outputsForARunThatDoesNotExist_isOneOnErrorNotFound_onEveryProvider() {
        Outcome outcome = outcome(provider().streams().submitToolOutputsAndStream(new SubmitToolOutputsCommand(
                "thread_missing", "run_missing", List.of(new ToolOutput("call_1", "x")))));

        assertThat(outcome.events()).isEmpty();
        assertThat(outcome.failure()).isInstanceOfSatisfying(RunRelayException.class,
                failure -> assertThat(failure.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void cancellingTheSubscription_closesTheUpstreamConnection_withinOneSecond() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(openUpstreamStreams() >= 0,
                "the provider has no upstream connection: its runs play in memory");
        prepareSlowTextRun();
        var firstEvents = new java.util.concurrent.CountDownLatch(2);
        var subscription = new CompletableFuture<Flow.Subscription>();
        provider().streams().createThreadAndRunAndStream(newThreadRun()).subscribe(new Flow.Subscriber<>() {
            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription.complete(s);
                s.request(Long.MAX_VALUE);
            }

            @Override
            public void onNext(RunEvent event) {
                firstEvents.countDown();
            }

            @Override
            public void onError(Throwable failure) {}

            @Override
            public void onComplete() {}
        });
        assertThat(firstEvents.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).as("the first events came").isTrue();
        assertThat(openUpstreamStreams()).as("upstream streams while streaming").isEqualTo(1);

        subscription.get().cancel();

        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (openUpstreamStreams() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(openUpstreamStreams()).as("upstream streams 1 s after the cancel").isZero();
    }

    protected CreateThreadAndRunCommand newThreadRun() {
        return new CreateThreadAndRunCommand(assistantId(), List.of(MessageInput.user("Hello there")), Map.of(), null);
    }

    /** Everything one subscription saw: its events, and the one failure or none. */
    protected record Outcome(List<RunEvent> events, Throwable failure) {

        static Outcome of(Flow.Publisher<RunEvent> stream) {
            var events = new ArrayList<RunEvent>();
            var done = new CompletableFuture<Throwable>();
            stream.subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription subscription) {
                    subscription.request(Long.MAX_VALUE);
                }

                @Override
                public void onNext(RunEvent event) {
                    synchronized (events) {
                        events.add(event);
                    }
                }

                @Override
                public void onError(Throwable failure) {
                    if (!done.complete(failure)) {
                        throw new AssertionError("a second terminal signal", failure);
                    }
                }

                @Override
                public void onComplete() {
                    if (!done.complete(null)) {
                        throw new AssertionError("a second terminal signal");
                    }
                }
            });
            try {
                Throwable failure = done.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                synchronized (events) {
                    return new Outcome(List.copyOf(events), failure);
                }
            } catch (Exception e) {
                throw new AssertionError("the stream did not end within " + TIMEOUT, e);
            }
        }
    }
}
