package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.CREATE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.domain;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.TEXT_STREAM;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.eventsThenFail;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.ProviderReportedException;
import dev.runrelay.domain.event.RunEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** Run streams through the real wiring, against a scripted provider. */
class GuardedStreamTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final List<RunEvent> FIRST_TWO = TEXT_STREAM.subList(0, 2);

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void givenRateLimitedWithRetryAfter_streamRun_retriesBeforeFirstEventAndHonoursTheWait() {
        Duration retryAfter = Duration.ofMillis(300);
        provider.then(fail(FakeSdk.rateLimited(retryAfter)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            long start = System.nanoTime();
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(TEXT_STREAM)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(retryAfter);
        }
        assertThat(provider.invocations()).isEqualTo(2);
    }

    @Test
    void givenUnavailableTwice_streamRun_retriesAndSendsOneCleanStream() {
        provider.then(fail(FakeSdk.http(503)), fail(FakeSdk.http(503)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createThreadAndRunAndStream(null)))
                    .expectNextSequence(TEXT_STREAM)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(3);
    }

    @Test
    void givenUnavailableBeyondRetryBudget_streamRun_failsProviderUnavailableRetryable() {
        provider.then(fail(FakeSdk.http(503)), fail(FakeSdk.http(503)), fail(FakeSdk.http(503)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                        assertThat(domain(error).retryable()).isTrue();
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(3);
    }

    @Test
    void givenBadRequest_streamRun_failsAtOnce() {
        provider.then(fail(FakeSdk.http(400)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.submitToolOutputsAndStream(null)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenConnectionDroppedBeforeFirstEvent_streamRun_isNotRetriedBecauseTheRunMayExist() {
        provider.then(fail(new FakeSdk.ConnectionDropped()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenDropAfterFirstEvents_streamRun_sendsThemThenStreamInterruptedWithoutRetry() {
        provider.then(eventsThenFail(FIRST_TWO, new FakeSdk.ConnectionDropped()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(FIRST_TWO)
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.STREAM_INTERRUPTED);
                        assertThat(domain(error).retryable()).isTrue();
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenRateLimitedAfterFirstEvent_streamRun_isNotRetriedSoNothingRepeats() {
        provider.then(eventsThenFail(FIRST_TWO, FakeSdk.rateLimited(Duration.ofMillis(10))));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(FIRST_TWO)
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.RATE_LIMITED))
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenNoFirstEvent_streamRun_timesOutAndClosesTheUpstream() {
        provider.then(new ScriptedProvider.Stall());
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT);
                        assertThat(error.getMessage()).contains("no first event within 300 ms");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
        assertThat(provider.cancelledStreams.get()).isEqualTo(1);
        assertThat(provider.openStreams.get()).isZero();
    }

    @Test
    void givenSilenceAfterEvents_streamRun_sendsThemThenTimesOutIdle() {
        provider.then(new ScriptedProvider.Stream(FIRST_TWO, Duration.ZERO, null, true));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(FIRST_TWO)
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT);
                        assertThat(error.getMessage()).contains("sent nothing for 300 ms");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
        assertThat(provider.cancelledStreams.get()).isEqualTo(1);
    }

    @Test
    void givenIdleShorterThanFirstEvent_stallAfterFirstEvents_isFoundAtTheIdleLimit() {
        provider.then(new ScriptedProvider.Stream(FIRST_TWO, Duration.ZERO, null, true));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider,
                "runrelay.resilience.timeouts.first-event=3s", "runrelay.resilience.timeouts.idle=200ms")) {
            long start = System.nanoTime();
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(FIRST_TWO)
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT))
                    .verify(TIMEOUT);
            // Found at the idle limit (200 ms), well before the first-event limit (3 s).
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1500));
        }
        assertThat(provider.cancelledStreams.get()).isEqualTo(1);
    }

    @Test
    void givenProviderErrorEventAfterFirstEvents_streamRun_keepsTheProvidersCode() {
        var reported = new ProviderReportedException(
                ErrorCode.PROVIDER_UNAVAILABLE, "server_error", "OpenAI reported server_error", null, null);
        provider.then(eventsThenFail(FIRST_TWO, reported));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(FIRST_TWO)
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                        assertThat(domain(error)).isInstanceOf(ProviderReportedException.class);
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenSteadyStreamLongerThanTheIdleLimit_streamRun_completes() {
        // Four gaps of 300 ms: 1.2 s in all, more than the 1 s idle limit, but never idle that long. (The
        // margins are wide because a loaded build machine delays timers by hundreds of milliseconds.)
        provider.then(new ScriptedProvider.Stream(TEXT_STREAM, Duration.ofMillis(300), null, false));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider,
                "runrelay.resilience.timeouts.first-event=3s", "runrelay.resilience.timeouts.idle=1s")) {
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextSequence(TEXT_STREAM)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
    }

    @Test
    void givenPortThrowsAtAssembly_streamRun_signalsTheErrorInstead() {
        provider.then(new ScriptedProvider.Throw(FakeSdk.http(401)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            AtomicReference<Flow.Publisher<RunEvent>> stream = new AtomicReference<>();
            assertThatCode(() -> stream.set(wiring.streams.createAndStream(CREATE))).doesNotThrowAnyException();
            StepVerifier.create(flux(stream.get()))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.UNAUTHORIZED))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void streamRun_isColdUntilSubscribed() {
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            Flow.Publisher<RunEvent> stream = wiring.streams.createAndStream(CREATE);
            assertThat(provider.invocations()).isZero();
            StepVerifier.create(flux(stream)).expectNextCount(TEXT_STREAM.size()).expectComplete().verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }
}
