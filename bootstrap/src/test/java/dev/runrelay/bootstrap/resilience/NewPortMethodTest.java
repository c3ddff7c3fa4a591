package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.RETRIEVE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.domain;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.event.RunEvent;
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
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The aspect is cross-cutting: a port method it has never heard of (added here by a port interface
 * that extends {@link RunPort}) gets translation, retries, time limits and metrics, with no change
 * to the aspect.
 */
class NewPortMethodTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** A port grown by two methods after the aspect was written. */
    interface GrownRunPort extends RunPort {
        CompletionStage<Run> archive(RetrieveRunCommand command);

        Flow.Publisher<RunEvent> replayAsStream(RetrieveRunCommand command);

        CompletionStage<Run> getLatest(RetrieveRunCommand command);
    }

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void newCallMethod_isTranslatedRetriedWhenUnprocessedAndMeasured() {
        provider.then(fail(FakeSdk.http(503)), fail(new FakeSdk.Mystery()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            GrownRunPort port = guarded(wiring);

            StepVerifier.create(Mono.fromCompletionStage(port.archive(RETRIEVE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.INTERNAL);
                        assertThat(error.getMessage()).doesNotContain("sk-secret");
                    })
                    .verify(TIMEOUT);

            assertThat(provider.invokedMethods()).containsExactly("archive", "archive");
            assertThat(wiring.meters.get(FailureReporter.CALLS)
                            .tag("operation", "runs.archive")
                            .tag("code", "internal")
                            .timer()
                            .count())
                    .isEqualTo(1);
            assertThat(wiring.meters.get(FailureReporter.RETRIES)
                            .tag("operation", "runs.archive")
                            .tag("code", "provider_unavailable")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void newReadMethod_isRetriedLikeEveryRead() {
        provider.then(fail(new FakeSdk.ConnectionDropped()));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(guarded(wiring).getLatest(RETRIEVE)))
                    .expectNext(ScriptedProvider.RUN)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(provider.invokedMethods()).containsExactly("getLatest", "getLatest");
    }

    @Test
    void newStreamMethod_getsTheStreamTimeLimits() {
        provider.then(new ScriptedProvider.Stall());
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(flux(guarded(wiring).replayAsStream(RETRIEVE)))
                    .expectErrorSatisfies(error -> assertThat(domain(error).code()).isEqualTo(ErrorCode.TIMEOUT))
                    .verify(TIMEOUT);
        }
        assertThat(provider.cancelledStreams.get()).isEqualTo(1);
    }

    private GrownRunPort guarded(ResilienceWiring wiring) {
        PortGuard.Policies policies = wiring.context.getBean(PortGuard.Policies.class);
        return policies.guard(GrownRunPort.class, new GrownRuns(provider), "runs");
    }

    /** The provider's implementation of the grown port. */
    private record GrownRuns(ScriptedProvider script) implements GrownRunPort {
        @Override
        public CompletionStage<Run> archive(RetrieveRunCommand command) {
            return script.call("archive");
        }

        @Override
        public Flow.Publisher<RunEvent> replayAsStream(RetrieveRunCommand command) {
            return script.stream("replayAsStream");
        }

        @Override
        public CompletionStage<Run> getLatest(RetrieveRunCommand command) {
            return script.call("getLatest");
        }

        @Override
        public CompletionStage<Run> create(CreateRunCommand command) {
            return script.call("create");
        }

        @Override
        public CompletionStage<Run> createThreadAndRun(CreateThreadAndRunCommand command) {
            return script.call("createThreadAndRun");
        }

        @Override
        public CompletionStage<Run> retrieve(RetrieveRunCommand command) {
            return script.call("retrieve");
        }

        @Override
        public CompletionStage<Page<Run>> list(ListRunsCommand command) {
            return script.call("list");
        }

        @Override
        public CompletionStage<Run> update(UpdateRunCommand command) {
            return script.call("update");
        }

        @Override
        public CompletionStage<Run> cancel(CancelRunCommand command) {
            return script.call("cancel");
        }

        @Override
        public CompletionStage<Run> submitToolOutputs(SubmitToolOutputsCommand command) {
            return script.call("submitToolOutputs");
        }
    }
}
