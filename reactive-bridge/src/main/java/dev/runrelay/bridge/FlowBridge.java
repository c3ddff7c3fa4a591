package dev.runrelay.bridge;

import java.util.Objects;
import java.util.concurrent.Flow;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * The one crossing between Reactor and the ports (docs/adr/0010). The ports return
 * {@link Flow.Publisher} (docs/adr/0002); the modules on both sides of them speak {@link Flux}.
 * {@link #toFlow} wraps a Flux in a publisher that remembers it, and {@link #toFlux} unwraps such a
 * publisher back to the very same Flux, so a stream crosses any number of port boundaries (adapter,
 * resilience aspect, use case, WebSocket) as one Reactor pipeline: no adapter operator per crossing, no
 * extra subscriber, and Reactor's {@code Context} (request ids, tracing, MDC) flows from the subscriber
 * at the socket up to the provider adapter.
 *
 * <p>A publisher that is not one of ours (a plain JDK implementation) is adapted by
 * {@link JdkFlowAdapter}, and a plain JDK subscriber of ours is served by it too: the contract of
 * {@link Flow.Publisher} holds either way.
 */
public final class FlowBridge {

    private FlowBridge() {}

    /** {@code flux} as a port's publisher; {@link #toFlux} gives the same Flux back. */
    public static <T> Flow.Publisher<T> toFlow(Flux<T> flux) {
        return new FluxPublisher<>(Objects.requireNonNull(flux, "flux"));
    }

    /** The Flux behind a publisher from {@link #toFlow}, or an adapted one for any other publisher. */
    @SuppressWarnings("unchecked")
    public static <T> Flux<T> toFlux(Flow.Publisher<T> publisher) {
        Objects.requireNonNull(publisher, "publisher");
        if (publisher instanceof FluxPublisher<?> ours) {
            return (Flux<T>) ours.flux;
        }
        return JdkFlowAdapter.flowPublisherToFlux(publisher);
    }

    /** A Flux seen as a {@link Flow.Publisher}; only {@link FlowBridge} creates and unwraps it. */
    private static final class FluxPublisher<T> implements Flow.Publisher<T> {
        private final Flux<T> flux;

        FluxPublisher(Flux<T> flux) {
            this.flux = flux;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super T> subscriber) {
            JdkFlowAdapter.publisherToFlowPublisher(flux).subscribe(subscriber);
        }

        @Override
        public String toString() {
            return "FlowBridge(" + flux + ")";
        }
    }
}
