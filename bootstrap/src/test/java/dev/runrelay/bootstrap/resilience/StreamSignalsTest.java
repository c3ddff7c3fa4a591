package dev.runrelay.bootstrap.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The one operator that stands for a row of peeks and error maps in the guarded stream (docs/adr/0033). */
class StreamSignalsTest {

    private final List<String> seen = new ArrayList<>();

    private final StreamSignals.Observer<Integer> recording = new StreamSignals.Observer<>() {
        @Override
        public void onNext(Integer value) {
            if (value < 0) {
                throw new IllegalArgumentException("negative");
            }
            seen.add("next " + value);
        }

        @Override
        public void onComplete() {
            seen.add("complete");
        }

        @Override
        public Throwable onError(Throwable failure) {
            seen.add("error " + failure.getMessage());
            return new IllegalStateException("translated " + failure.getMessage());
        }

        @Override
        public void onCancel() {
            seen.add("cancel");
        }
    };

    @Test
    void eachSignal_runsItsHook_beforeItGoesOn() {
        StepVerifier.create(StreamSignals.observed(Flux.just(1, 2), recording)
                        .doOnNext(value -> seen.add("downstream " + value)))
                .expectNext(1, 2)
                .verifyComplete();

        assertThat(seen).containsExactly("next 1", "downstream 1", "next 2", "downstream 2", "complete");
    }

    @Test
    void aFailure_goesOnAsTheHookTranslatedIt() {
        StepVerifier.create(StreamSignals.observed(Flux.concat(Flux.just(1), Flux.error(new RuntimeException("boom"))),
                        recording))
                .expectNext(1)
                .verifyErrorSatisfies(failure -> assertThat(failure).isInstanceOf(IllegalStateException.class)
                        .hasMessage("translated boom"));

        assertThat(seen).containsExactly("next 1", "error boom");
    }

    @Test
    void aHookThatThrows_cancelsTheSource_andFailsTheStream_throughTheErrorHook() {
        List<String> upstream = new ArrayList<>();
        Flux<Integer> source = Flux.just(1, -1, 3).doOnCancel(() -> upstream.add("cancelled"));

        StepVerifier.create(StreamSignals.observed(source, recording))
                .expectNext(1)
                .verifyErrorMessage("translated negative");

        assertThat(upstream).containsExactly("cancelled");
        assertThat(seen).containsExactly("next 1", "error negative");
    }

    @Test
    void cancelling_runsTheCancelHook_andCancelsTheSource() {
        List<String> upstream = new ArrayList<>();
        Flux<Integer> source = Flux.<Integer>never().doOnCancel(() -> upstream.add("cancelled"));

        StepVerifier.create(StreamSignals.observed(source, recording))
                .thenCancel()
                .verify();

        assertThat(seen).containsExactly("cancel");
        assertThat(upstream).containsExactly("cancelled");
    }
}
