package dev.runrelay.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class FlowBridgeTest {

    @Test
    void aCrossingUnwrapsToTheSameFlux_soNothingIsAddedPerCrossing() {
        Flux<String> flux = Flux.just("a", "b");

        Flow.Publisher<String> port = FlowBridge.toFlow(flux);

        assertThat(FlowBridge.toFlux(port)).isSameAs(flux);
        // Four crossings (adapter, aspect, use case, socket) still give the adapter's Flux.
        Flow.Publisher<String> again = FlowBridge.toFlow(FlowBridge.toFlux(FlowBridge.toFlow(FlowBridge.toFlux(port))));
        assertThat(FlowBridge.toFlux(again)).isSameAs(flux);
    }

    @Test
    void theSubscribersContextReachesThePublisherAcrossTheCrossings() {
        Flux<String> adapter = Flux.deferContextual(context -> Flux.just(context.getOrDefault("requestId", "none")));

        Flow.Publisher<String> port = FlowBridge.toFlow(FlowBridge.toFlux(FlowBridge.toFlow(adapter)).map(String::toUpperCase));

        StepVerifier.create(FlowBridge.toFlux(port).contextWrite(context -> context.put("requestId", "req_1")))
                .expectNext("REQ_1")
                .verifyComplete();
    }

    @Test
    void withJdkAdapterCrossings_theContextIsLost_whichIsWhyTheBridgeExists() {
        Flux<String> adapter = Flux.deferContextual(context -> Flux.just(context.getOrDefault("requestId", "none")));

        Flow.Publisher<String> port = JdkFlowAdapter.publisherToFlowPublisher(adapter);

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(port).contextWrite(context -> context.put("requestId", "req_1")))
                .expectNext("none")
                .verifyComplete();
    }

    @Test
    void aPlainJdkSubscriber_isServedWithDemand() throws InterruptedException {
        Flow.Publisher<Integer> port = FlowBridge.toFlow(Flux.range(1, 5));
        List<Integer> received = new CopyOnWriteArrayList<>();
        var done = new java.util.concurrent.CountDownLatch(1);

        port.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(Integer item) {
                received.add(item);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable throwable) {
                done.countDown();
            }

            @Override
            public void onComplete() {
                done.countDown();
            }
        });

        done.await();
        assertThat(received).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void aForeignPublisher_isAdapted() {
        try (var submission = new SubmissionPublisher<String>()) {
            Flux<String> flux = FlowBridge.toFlux(submission);
            StepVerifier.create(flux)
                    .then(() -> {
                        submission.submit("x");
                        submission.close();
                    })
                    .expectNext("x")
                    .verifyComplete();
        }
        assertThat(FlowBridge.toFlux(FlowBridge.toFlow(Mono.just(1).flux())).blockLast()).isEqualTo(1);
    }
}
