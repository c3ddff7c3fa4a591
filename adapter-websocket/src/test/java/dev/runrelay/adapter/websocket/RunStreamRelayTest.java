package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.ServerFrame.ChunkFrame;
import dev.runrelay.adapter.websocket.ServerFrame.EndFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import dev.runrelay.adapter.websocket.ServerFrame.StatusFrame;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.RunStatus;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

class RunStreamRelayTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private final RunsErrorResolver errors = new RunsErrorResolver();

    @Test
    void numbersFramesFromOne_andStampsIdsOnceKnown() {
        var relay = new RunStreamRelay("r1", null, null);
        Flux<RunEvent> events = Flux.concat(Flux.just(new RunEvent.ThreadCreated("thread_9")),
                FakeRunUseCases.textRun("thread_9", "run_9", List.of("a", "b")));

        StepVerifier.create(relay.frames(events, 16, errors::resolve))
                .assertNext(frame -> assertThat(frame).isEqualTo(
                        new StatusFrame("r1", "thread_9", "run_9", 1, "queued", null)))
                .expectNextCount(5)
                .assertNext(frame -> assertThat(frame).isInstanceOf(StatusFrame.class))
                .assertNext(frame -> {
                    var end = (EndFrame) frame;
                    assertThat(end.seq()).isEqualTo(8);
                    assertThat(end.status()).isEqualTo("completed");
                    assertThat(end.usage().totalTokens()).isEqualTo(42);
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void failureAfterARecoveredStatus_endsWithThatStatus() {
        var relay = new RunStreamRelay("r1", "thread_1", null);
        Flux<RunEvent> events = Flux.<RunEvent>just(
                        FakeRunUseCases.status("run_1", "thread_1", RunStatus.IN_PROGRESS),
                        FakeRunUseCases.status("run_1", "thread_1", RunStatus.CANCELLED))
                .concatWith(Flux.error(new RunRelayException(ErrorCode.TIMEOUT, "stall")));

        StepVerifier.create(relay.frames(events, 16, errors::resolve).last())
                .assertNext(frame -> {
                    var end = (EndFrame) frame;
                    assertThat(end.status()).isEqualTo("cancelled");
                    assertThat(end.error()).isEqualTo("timeout");
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void failureAfterEvents_isErrorThenEnd_continuingTheSequence() {
        var relay = new RunStreamRelay("r1", "thread_1", null);
        Flux<RunEvent> events = Flux.<RunEvent>just(FakeRunUseCases.status("run_1", "thread_1", RunStatus.IN_PROGRESS))
                .concatWith(Flux.error(new RunRelayException(ErrorCode.RATE_LIMITED, "Slow down.")));

        StepVerifier.create(relay.frames(events, 16, errors::resolve))
                .expectNextMatches(frame -> frame instanceof StatusFrame status && status.seq() == 1)
                .assertNext(frame -> {
                    var error = (ErrorFrame) frame;
                    assertThat(error.seq()).isEqualTo(2L);
                    assertThat(error.code()).isEqualTo("rate_limited");
                    assertThat(error.retryable()).isTrue();
                    assertThat(error.runId()).isEqualTo("run_1");
                })
                .assertNext(frame -> {
                    var end = (EndFrame) frame;
                    assertThat(end.seq()).isEqualTo(3);
                    // Never a status the run does not keep: nothing told the final one, so failed.
                    assertThat(end.status()).isEqualTo("failed");
                    assertThat(end.error()).isEqualTo("rate_limited");
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void eventsAfterStreamEnded_andALateFailure_areDropped_soEndStaysLast() {
        var relay = new RunStreamRelay("r1", "thread_1", "run_1");
        Flux<RunEvent> events = Flux.<RunEvent>just(
                        new RunEvent.StreamEnded("thread_1", "run_1", RunStatus.COMPLETED, null),
                        new RunEvent.TextDelta("msg", 0, "late", null))
                .concatWith(Flux.error(new IllegalStateException("late failure")));

        StepVerifier.create(relay.frames(events, 16, errors::resolve))
                .expectNextMatches(frame -> frame instanceof EndFrame end && end.seq() == 1)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void upstreamCompletingWithoutStreamEnded_isStreamInterruptedThenEnd() {
        var relay = new RunStreamRelay("r1", "thread_1", "run_1");

        StepVerifier.create(relay.frames(Flux.just(new RunEvent.TextDelta("m", 0, "x", null)), 16, errors::resolve))
                .expectNextMatches(frame -> frame instanceof ChunkFrame chunk && chunk.seq() == 1)
                .expectNextMatches(frame -> frame instanceof ErrorFrame error && error.code().equals("stream_interrupted"))
                .expectNextMatches(frame -> frame instanceof EndFrame end && end.seq() == 3)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void subscriberTooFarBehind_getsSlowConsumer_andTheUpstreamIsCancelled() {
        var relay = new RunStreamRelay("r1", "thread_1", "run_1");
        var cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        Flux<RunEvent> flood = Flux.range(0, 10_000)
                .map(i -> (RunEvent) new RunEvent.TextDelta("m", 0, "x", null))
                .doOnCancel(() -> cancelled.set(true));

        StepVerifier.create(relay.frames(flood, 8, errors::resolve), 0)
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(50))
                .thenRequest(100)
                .expectNextCount(8)
                .assertNext(frame -> assertThat(((ErrorFrame) frame).code()).isEqualTo("slow_consumer"))
                .assertNext(frame -> assertThat(((EndFrame) frame).seq()).isEqualTo(10))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(cancelled).isTrue();
    }

    /** The adapter's own share of the relay cost: event to frame to JSON bytes, one thread, no socket. */
    @Test
    void relayAndEncode_costFarLessThanTheBudgetPerEvent() {
        var codec = new FrameCodec();
        int events = 200_000;
        var bean = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 2; round++) {
            var relay = new RunStreamRelay("request-1", "thread_abc", "run_abc");
            Flux<RunEvent> deltas = Flux.range(0, events)
                    .map(i -> (RunEvent) new RunEvent.TextDelta("msg_1", 0, "token " + i, null));
            long cpuBefore = bean.getCurrentThreadCpuTime();
            long bytes = relay.frames(deltas, 1024, errors::resolve)
                    .map(codec::toBytes)
                    .reduce(0L, (sum, frame) -> sum + frame.length)
                    .block(TIMEOUT);
            double microsPerEvent = (bean.getCurrentThreadCpuTime() - cpuBefore) / 1_000.0 / events;
            assertThat(bytes).isGreaterThan(events * 50L);
            if (round == 1) {
                System.getLogger(getClass().getName()).log(System.Logger.Level.INFO,
                        "relay+encode CPU per event: %.2f µs".formatted(microsPerEvent));
                assertThat(microsPerEvent).isLessThan(10.0);
            }
        }
    }
}
