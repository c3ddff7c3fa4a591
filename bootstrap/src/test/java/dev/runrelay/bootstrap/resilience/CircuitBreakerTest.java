package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.CREATE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.RETRIEVE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.domain;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.TEXT_STREAM;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The provider's breaker (test properties: window and minimum 4 calls, 50 %, 300 ms open, 1 call
 * half-open) through the real wiring.
 */
class CircuitBreakerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    /** Far below a retry's backoff plus a provider call on this machine; the invocation count proves no call. */
    private static final Duration AT_ONCE = Duration.ofSeconds(1);

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void givenSustainedProviderFailures_circuitOpens_answersAtOnce_thenHalfOpensAfterItsWait() throws Exception {
        for (int i = 0; i < 4; i++) {
            provider.then(fail(new FakeSdk.ConnectionDropped()));
        }
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            for (int i = 0; i < 4; i++) {
                StepVerifier.create(Mono.fromCompletionStage(wiring.runs.create(CREATE)))
                        .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                        .verify(TIMEOUT);
            }
            assertThat(wiring.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

            // Open: answered at once, without calling the provider, and not retried even though it is a read.
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                        assertThat(error.getMessage()).isEqualTo(FailureTranslation.CIRCUIT_OPEN_MESSAGE);
                    })
                    .verify(AT_ONCE);
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                    .verify(AT_ONCE);
            assertThat(provider.invocations()).isEqualTo(4);

            Thread.sleep(400); // longer than wait-in-open-state (300 ms)

            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectNext(ScriptedProvider.RUN)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(provider.invocations()).isEqualTo(5);
            assertThat(wiring.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void givenClientErrors_circuitStaysClosed() {
        for (int i = 0; i < 6; i++) {
            provider.then(fail(FakeSdk.http(i % 2 == 0 ? 404 : 400)));
        }
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            for (int i = 0; i < 6; i++) {
                StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                        .expectError()
                        .verify(TIMEOUT);
            }
            assertThat(wiring.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
            assertThat(wiring.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
        }
    }

    @Test
    void givenStreamsFailingBeforeTheirFirstEvent_circuitOpens() {
        for (int i = 0; i < 4; i++) {
            provider.then(fail(new FakeSdk.ConnectionDropped()));
        }
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            for (int i = 0; i < 4; i++) {
                StepVerifier.create(flux(wiring.streams.createAndStream(CREATE))).expectError().verify(TIMEOUT);
            }
            assertThat(wiring.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        }
    }

    @Test
    void givenLongHealthyStream_breakerRecordsSuccessAtTheFirstEvent_notAtTheEnd() {
        provider.then(new ScriptedProvider.Stream(TEXT_STREAM, Duration.ofMillis(100), null, false));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            CircuitBreaker.Metrics metrics = wiring.circuitBreaker().getMetrics();
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNext(TEXT_STREAM.getFirst())
                    .then(() -> assertThat(metrics.getNumberOfSuccessfulCalls()).isEqualTo(1))
                    .expectNextCount(TEXT_STREAM.size() - 1)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(metrics.getNumberOfSuccessfulCalls()).isEqualTo(1);
            assertThat(metrics.getNumberOfSlowCalls()).isZero();
        }
    }
}
