package dev.runrelay.bootstrap.resilience;

import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxOperator;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * One operator in place of a row of {@code doOnNext}, {@code doOnComplete}, {@code doOnError}, {@code onErrorMap}
 * and {@code doOnCancel} around a guarded stream (docs/adr/0033): each of those is a subscriber every event of
 * every stream passes through, and the aspect had eleven of them per stream; it has three of these now.
 * The hooks run in the order the row ran them, and a hook that throws fails the stream as {@code doOnNext} does.
 */
final class StreamSignals {

    private StreamSignals() {}

    /** What to do at each signal of one subscription; confined to that subscription's signals. */
    interface Observer<T> {
        default void onNext(T value) {}

        default void onComplete() {}

        /** Sees the failure and returns the one to pass on (the same, or a translation). */
        default Throwable onError(Throwable failure) {
            return failure;
        }

        default void onCancel() {}
    }

    static <T> Flux<T> observed(Flux<T> source, Observer<? super T> observer) {
        return new ObservedFlux<>(source, observer);
    }

    private static final class ObservedFlux<T> extends FluxOperator<T, T> {
        private final Observer<? super T> observer;

        ObservedFlux(Flux<? extends T> source, Observer<? super T> observer) {
            super(source);
            this.observer = observer;
        }

        @Override
        public void subscribe(CoreSubscriber<? super T> actual) {
            source.subscribe(new ObservingSubscriber<>(actual, observer));
        }
    }

    private static final class ObservingSubscriber<T> implements CoreSubscriber<T>, Subscription {
        private final CoreSubscriber<? super T> actual;
        private final Observer<? super T> observer;
        private Subscription upstream;
        private boolean done;

        ObservingSubscriber(CoreSubscriber<? super T> actual, Observer<? super T> observer) {
            this.actual = actual;
            this.observer = observer;
        }

        @Override
        public Context currentContext() {
            return actual.currentContext();
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            if (Operators.validate(upstream, subscription)) {
                upstream = subscription;
                actual.onSubscribe(this);
            }
        }

        @Override
        public void onNext(T value) {
            if (done) {
                Operators.onNextDropped(value, actual.currentContext());
                return;
            }
            try {
                observer.onNext(value);
            } catch (Throwable failure) {
                onError(Operators.onOperatorError(upstream, failure, value, actual.currentContext()));
                return;
            }
            actual.onNext(value);
        }

        @Override
        public void onError(Throwable failure) {
            if (done) {
                Operators.onErrorDropped(failure, actual.currentContext());
                return;
            }
            done = true;
            Throwable passed;
            try {
                passed = observer.onError(failure);
            } catch (Throwable hookFailure) {
                passed = Exceptions.addSuppressed(hookFailure, failure);
            }
            actual.onError(passed);
        }

        @Override
        public void onComplete() {
            if (done) {
                return;
            }
            try {
                observer.onComplete();
            } catch (Throwable failure) {
                onError(Operators.onOperatorError(failure, actual.currentContext()));
                return;
            }
            done = true;
            actual.onComplete();
        }

        @Override
        public void request(long n) {
            upstream.request(n);
        }

        @Override
        public void cancel() {
            try {
                observer.onCancel();
            } catch (Throwable failure) {
                Operators.onErrorDropped(failure, actual.currentContext());
            }
            upstream.cancel();
        }
    }
}
