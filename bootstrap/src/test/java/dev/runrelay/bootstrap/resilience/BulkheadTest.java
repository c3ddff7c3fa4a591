package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.CREATE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.domain;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

/** The cap on concurrent upstream streams (2 in the test properties). */
class BulkheadTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void givenCapReached_nextStream_isRefusedOverloadedAtOnce_andAcceptedAgainOnceOneEnds() {
        provider.then(new ScriptedProvider.Stall(), new ScriptedProvider.Stall());
        try (ResilienceWiring wiring = ResilienceWiring.around(
                provider, "runrelay.resilience.timeouts.first-event=10s")) {
            Disposable first = flux(wiring.streams.createAndStream(CREATE)).subscribe(event -> {}, error -> {});
            Disposable second = flux(wiring.streams.createAndStream(CREATE)).subscribe(event -> {}, error -> {});
            assertThat(provider.openStreams.get()).isEqualTo(2);

            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectErrorSatisfies(error -> {
                        assertThat(domain(error).code()).isEqualTo(ErrorCode.OVERLOADED);
                        assertThat(domain(error).retryable()).isTrue();
                    })
                    .verify(Duration.ofSeconds(1));
            assertThat(provider.invocations()).isEqualTo(2);

            first.dispose();
            assertThat(provider.openStreams.get()).isEqualTo(1);
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextCount(ScriptedProvider.TEXT_STREAM.size())
                    .expectComplete()
                    .verify(TIMEOUT);
            second.dispose();
        }
    }
}
