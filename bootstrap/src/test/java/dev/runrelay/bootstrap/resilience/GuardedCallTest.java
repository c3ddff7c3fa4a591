package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.run.CreateRunCommand;
import dev.runrelay.domain.run.RetrieveRunCommand;
import dev.runrelay.domain.run.Run;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Request/response calls through the real wiring, against a scripted provider. */
class GuardedCallTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final RetrieveRunCommand RETRIEVE = new RetrieveRunCommand("thread_1", "run_1");
    static final CreateRunCommand CREATE = new CreateRunCommand("thread_1", "asst_1", List.of(), null);

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void givenUnavailableTwice_retrieve_retriesAndAnswers() {
        provider.then(fail(FakeSdk.http(503)), fail(FakeSdk.http(503)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectNext(ScriptedProvider.RUN)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(3);
    }

    @Test
    void givenUnavailableBeyondRetryBudget_retrieve_failsProviderUnavailableRetryable() {
        provider.then(fail(FakeSdk.http(503)), fail(FakeSdk.http(503)), fail(FakeSdk.http(503)), fail(FakeSdk.http(503)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        RunRelayException failure = domain(error);
                        assertThat(failure.code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE);
                        assertThat(failure.retryable()).isTrue();
                        assertThat(failure.providerRequestId()).contains("req_503");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({"400, INVALID_REQUEST", "401, UNAUTHORIZED", "404, NOT_FOUND"})
    void givenClientError_retrieve_failsAtOnceWithItsCode(int status, ErrorCode expected) {
        provider.then(fail(FakeSdk.http(status)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(expected);
                        assertThat(domain(error).retryable()).isFalse();
                        assertThat(error.getMessage()).doesNotContain("sk-secret");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenRateLimitedWithRetryAfter_retrieve_waitsThatLongThenAnswers() {
        Duration retryAfter = Duration.ofMillis(300);
        provider.then(fail(FakeSdk.rateLimited(retryAfter)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            long start = System.nanoTime();
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectNext(ScriptedProvider.RUN)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(retryAfter);
        }
        assertThat(provider.invocations()).isEqualTo(2);
    }

    @Test
    void givenRetryAfterBeyondTotalWait_retrieve_failsAtOnceRateLimited() {
        provider.then(fail(FakeSdk.rateLimited(Duration.ofSeconds(30))));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            long start = System.nanoTime();
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.RATE_LIMITED);
                        assertThat(domain(error).retryAfter()).contains(Duration.ofSeconds(30));
                    })
                    .verify(TIMEOUT);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenConnectionDropped_create_isNotRetriedBecauseItMayHaveRun() {
        provider.then(fail(new FakeSdk.ConnectionDropped()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.create(CREATE)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.PROVIDER_UNAVAILABLE))
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenConnectionRefused_create_isRetriedBecauseNothingRan() {
        provider.then(fail(new FakeSdk.ConnectRefused()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.create(CREATE)))
                    .expectNext(ScriptedProvider.RUN)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(2);
    }

    @Test
    void givenDomainError_retrieve_passesItThroughUnchanged() {
        RunRelayException conflict = new RunRelayException(ErrorCode.CONFLICT, "The thread already has an active run.");
        provider.then(fail(conflict));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> assertThat(error).isSameAs(conflict))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void givenUntranslatableFailure_retrieve_failsInternalWithoutItsMessage() {
        provider.then(fail(new FakeSdk.Mystery()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.INTERNAL);
                        assertThat(error.getMessage()).isEqualTo(FailureTranslation.INTERNAL_MESSAGE);
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    @Test
    void givenPortThrowsAtAssembly_retrieve_returnsAFailedStageInstead() {
        provider.then(new ScriptedProvider.Throw(FakeSdk.http(404)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            AtomicReference<CompletionStage<Run>> stage = new AtomicReference<>();
            assertThatCode(() -> stage.set(wiring.runs.retrieve(RETRIEVE))).doesNotThrowAnyException();
            StepVerifier.create(Mono.fromCompletionStage(stage.get()))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .verify(TIMEOUT);
        }
    }

    @Test
    void givenNoAnswer_retrieve_timesOutPerAttempt() {
        provider.then(new ScriptedProvider.Stall(), new ScriptedProvider.Stall());
        // Per-operation override: this read gets two attempts instead of the default three.
        try (ResilienceWiring wiring = ResilienceWiring.around(
                provider, "runrelay.resilience.operations[runs.retrieve].max-attempts=2")) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT);
                        assertThat(error.getMessage()).contains("500 ms");
                    })
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(2);
    }

    @Test
    void givenNoAnswer_create_timesOutWithoutRetry() {
        provider.then(new ScriptedProvider.Stall());
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.create(CREATE)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT))
                    .verify(TIMEOUT);
        }
        assertThat(provider.invocations()).isEqualTo(1);
    }

    static RunRelayException domain(Throwable error) {
        assertThat(error).isInstanceOf(RunRelayException.class);
        return (RunRelayException) error;
    }
}
