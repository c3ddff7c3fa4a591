package dev.runrelay.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class StreamLogContextTest {

    @AfterEach
    void clearMdc() {
        MDC.clear();
    }

    @Test
    void theRequestIdOfTheContext_isInTheMdcWhileEachSignalIsDelivered_onTheThreadThatDeliversIt() {
        List<String> seen = new CopyOnWriteArrayList<>();
        // Emitted from another thread, as an event loop would: the MDC must be set there, not at subscribe.
        Flux<String> source = Flux.just("a", "b").publishOn(Schedulers.single());

        Flux<String> logged = StreamContext.inLogContext(source)
                .doOnNext(value -> seen.add(value + "@" + MDC.get(StreamContext.MDC_REQUEST_ID)))
                .doOnComplete(() -> seen.add("end@" + MDC.get(StreamContext.MDC_REQUEST_ID)))
                .contextWrite(StreamContext.withRequestId("req-7"));

        StepVerifier.create(logged).expectNext("a", "b").verifyComplete();
        assertThat(seen).containsExactly("a@req-7", "b@req-7", "end@req-7");
    }

    @Test
    void afterEachSignal_theThreadsMdcIsAsItWas_soAnotherStreamOnTheSameLoopDoesNotInheritTheId() {
        Sinks.Many<String> first = Sinks.many().unicast().onBackpressureBuffer();
        Sinks.Many<String> second = Sinks.many().unicast().onBackpressureBuffer();
        List<String> seen = new CopyOnWriteArrayList<>();
        StreamContext.inLogContext(first.asFlux())
                .doOnNext(value -> seen.add(value + "@" + MDC.get(StreamContext.MDC_REQUEST_ID)))
                .contextWrite(StreamContext.withRequestId("first"))
                .subscribe();
        StreamContext.inLogContext(second.asFlux())
                .doOnNext(value -> seen.add(value + "@" + MDC.get(StreamContext.MDC_REQUEST_ID)))
                .subscribe(); // no request id in this stream's context

        MDC.put(StreamContext.MDC_REQUEST_ID, "the-thread's-own");
        first.tryEmitNext("x");
        assertThat(MDC.get(StreamContext.MDC_REQUEST_ID)).isEqualTo("the-thread's-own");
        MDC.remove(StreamContext.MDC_REQUEST_ID);
        first.tryEmitNext("y");
        second.tryEmitNext("z");

        assertThat(seen).containsExactly("x@first", "y@first", "z@null");
        assertThat(MDC.get(StreamContext.MDC_REQUEST_ID)).isNull();
    }
}
