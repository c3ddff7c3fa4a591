package dev.runrelay.bridge;

import org.reactivestreams.Subscription;
import org.slf4j.MDC;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * Puts a stream's request id ({@link StreamContext#REQUEST_ID} of its subscriber's context) in the log MDC
 * under {@link StreamContext#MDC_REQUEST_ID} while each of the stream's signals is delivered, and takes it
 * out again afterwards, on whatever thread delivers it (an event loop). Everything that runs synchronously
 * downstream of that point (decoding, parsing, mapping, the relay) logs with the id.
 *
 * <p>Explicit, at the source of the stream, rather than Reactor's automatic context propagation: that
 * restores every registered thread local around every operator of every pipeline, which costs more per
 * event than the relay itself; this costs one MDC put and one remove per delivered signal of a stream
 * that has a request id, and nothing for one that has none.
 */
final class StreamLogContext {

    private StreamLogContext() {}

    static <T> Flux<T> inLogContext(Flux<T> source) {
        return Flux.deferContextual(context -> context.<String>getOrEmpty(StreamContext.REQUEST_ID)
                .map(requestId -> source.transform(Operators.<T, T>lift(
                        (scannable, actual) -> new MdcSubscriber<>(actual, requestId))))
                .orElse(source));
    }

    static void log(ContextView stream, StreamLogScope scope, Runnable logLine) {
        String requestId = stream.<String>getOrEmpty(StreamContext.REQUEST_ID).orElse(null);
        if (requestId == null) {
            scope.run(stream, logLine);
            return;
        }
        String outer = MdcSubscriber.enter(requestId);
        try {
            scope.run(stream, logLine);
        } finally {
            MdcSubscriber.leave(outer);
        }
    }

    /** Forwards every signal with the request id in the MDC; demand and cancel go straight upstream. */
    private static final class MdcSubscriber<T> implements CoreSubscriber<T> {
        private final CoreSubscriber<? super T> actual;
        private final String requestId;

        MdcSubscriber(CoreSubscriber<? super T> actual, String requestId) {
            this.actual = actual;
            this.requestId = requestId;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            actual.onSubscribe(subscription);
        }

        @Override
        public void onNext(T value) {
            String outer = enter(requestId);
            try {
                actual.onNext(value);
            } finally {
                leave(outer);
            }
        }

        @Override
        public void onError(Throwable error) {
            String outer = enter(requestId);
            try {
                actual.onError(error);
            } finally {
                leave(outer);
            }
        }

        @Override
        public void onComplete() {
            String outer = enter(requestId);
            try {
                actual.onComplete();
            } finally {
                leave(outer);
            }
        }

        /** The value the thread had (another stream's, when one is nested in another's signal), to restore. */
        private static String enter(String requestId) {
            String outer = MDC.get(StreamContext.MDC_REQUEST_ID);
            MDC.put(StreamContext.MDC_REQUEST_ID, requestId);
            return outer;
        }

        private static void leave(String outer) {
            if (outer == null) {
                MDC.remove(StreamContext.MDC_REQUEST_ID);
            } else {
                MDC.put(StreamContext.MDC_REQUEST_ID, outer);
            }
        }
    }
}
