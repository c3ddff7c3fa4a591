package dev.runrelay.bootstrap.resilience;

import dev.runrelay.bootstrap.ObservationLogScope;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.StreamFailures;
import dev.runrelay.domain.event.RunEvent;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * The error-handling aspect: one interceptor around every method of the selected provider's driven
 * ports (docs/adr/0003). For each call it transforms the returned stage or publisher, so that
 *
 * <ul>
 *   <li>every failure (thrown at assembly, failed stage, or onError) leaves as a {@link RunRelayException},
 *       translated by the provider's own translator;
 *   <li>each attempt runs under a time limit and the provider's circuit breaker;
 *   <li>retryable failures are retried with exponential backoff and jitter, honouring {@code Retry-After},
 *       within a total wait budget: reads whenever the code is retryable, creates and submits (and every
 *       stream) only when the provider provably did not process the request, and streams only before
 *       their first event;
 *   <li>streams hold a bulkhead permit (never waited for) and end with {@code timeout} when their first
 *       event or the next one is late (one re-armed timer per stream, not one per event);
 *   <li>each failed call is logged once and every call is measured.
 * </ul>
 *
 * It knows no provider: which methods it guards and how follows from their return types and names.
 */
final class PortGuard implements MethodInterceptor {

    /** The codes worth another attempt; a non-idempotent call also needs proof the provider did nothing. */
    private static final Set<ErrorCode> RETRYABLE =
            EnumSet.of(ErrorCode.RATE_LIMITED, ErrorCode.PROVIDER_UNAVAILABLE, ErrorCode.TIMEOUT);
    private static final String[] READ_PREFIXES = {"retrieve", "list", "get", "find"};

    private final String portKey;
    private final ResilienceProperties properties;
    private final FailureTranslation translation;
    private final FailureReporter reporter;
    private final RetryRegistry retries;
    private final CircuitBreaker circuitBreaker;
    private final Bulkhead streamBulkhead;
    private final IntervalFunction backoff;
    private final Map<Method, GuardedOperation> operations = new ConcurrentHashMap<>();

    private PortGuard(String portKey, Policies policies) {
        this.portKey = portKey;
        this.properties = policies.properties();
        this.translation = policies.translation();
        this.reporter = policies.reporter();
        this.retries = policies.retries();
        this.circuitBreaker = policies.circuitBreaker();
        this.streamBulkhead = policies.streamBulkhead();
        ResilienceProperties.Retry retry = properties.retry();
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(
                retry.initialBackoff(), retry.multiplier(), retry.jitter(), retry.maxBackoff());
    }

    /**
     * Everything the guards of one provider share: its translator, breaker, stream bulkhead, retry
     * registry, properties and meters.
     */
    record Policies(
            ResilienceProperties properties,
            FailureTranslation translation,
            FailureReporter reporter,
            RetryRegistry retries,
            CircuitBreaker circuitBreaker,
            Bulkhead streamBulkhead) {

        /**
         * A proxy of {@code portType} that sends every method of {@code target} through the aspect.
         *
         * @param portKey the prefix of the port's operation names, e.g. {@code runs}
         */
        <T> T guard(Class<T> portType, T target, String portKey) {
            ProxyFactory factory = new ProxyFactory();
            factory.setTarget(target);
            factory.setInterfaces(portType);
            factory.addAdvice(new PortGuard(portKey, this));
            return portType.cast(factory.getProxy(portType.getClassLoader()));
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        Method method = invocation.getMethod();
        if (method.getDeclaringClass() == Object.class) {
            return invocation.proceed();
        }
        GuardedOperation operation = operations.computeIfAbsent(method, this::resolve);
        return switch (operation.kind()) {
            case CALL -> guardCall(operation, invocation);
            case STREAM -> guardStream(operation, invocation);
            case PLAIN -> guardPlain(operation, invocation);
        };
    }

    // --- request/response calls -------------------------------------------------------------

    private CompletableFuture<Object> guardCall(GuardedOperation operation, MethodInvocation invocation) {
        Object[] arguments = invocation.getArguments();
        Mono<Object> guarded = Mono.defer(() -> {
            long start = System.nanoTime();
            Attempts attempts = new Attempts(operation.retry().asyncContext());
            Mono<Object> attempt = Mono.defer(() -> {
                        attempts.count++;
                        return withinCallTimeout(operation, invokeTarget(invocation, CompletionStage.class));
                    })
                    .onErrorMap(translation::toDomain)
                    .transform(CircuitBreakerOperator.of(circuitBreaker))
                    .onErrorMap(translation::toDomain);
            return attempt.retryWhen(retryPolicy(operation, arguments, attempts, () -> false, Context.empty()))
                    .onErrorMap(translation::toDomain)
                    .doOnSuccess(answer -> {
                        attempts.context.onComplete();
                        reporter.succeeded(operation, start);
                    })
                    .doOnError(failure -> reporter.failed(
                            operation, arguments, translation.toDomain(failure), attempts.count, start))
                    .doOnCancel(() -> reporter.cancelled(operation, start));
        });
        return guarded.toFuture();
    }

    /**
     * The target's answer under the call's time limit. An answer that is already there (an in-memory port answers
     * with a completed future) cannot be late, so it gets no timer: a {@code timeout} schedules one on the parallel
     * scheduler and cancels it again for every call, a shared queue's lock each time (several per new run).
     */
    private static Mono<Object> withinCallTimeout(GuardedOperation operation, CompletionStage<Object> stage) {
        Mono<Object> answer = Mono.fromCompletionStage(stage);
        if (stage instanceof CompletableFuture<?> future && future.isDone()) {
            return answer;
        }
        return answer.timeout(operation.callTimeout(), Mono.error(() -> callTimedOut(operation)));
    }

    // --- streams ------------------------------------------------------------------------------

    private Flow.Publisher<Object> guardStream(GuardedOperation operation, MethodInvocation invocation) {
        Object[] arguments = invocation.getArguments();
        Flux<Object> guarded = Flux.deferContextual(context -> {
            // The stream's failure and retry lines are written in the scope of its Observation (ObservationLogScope),
            // so they carry its trace id (MDC traceId/spanId) like the socket adapter's own lines.
            long start = System.nanoTime();
            StreamAttempts attempts = new StreamAttempts(operation.retry().asyncContext());
            Flux<Object> attempt = Flux.defer(() -> {
                        attempts.count++;
                        return FlowBridge.toFlux(invokeTarget(invocation, Flow.Publisher.class));
                    })
                    .transform(source -> untilSilent(source, operation, attempts))
                    .transform(source -> recordedByCircuitBreakerOnce(source, attempts));
            Flux<Object> retried = attempt.retryWhen(retryPolicy(operation, arguments, attempts, attempts::emitted, context))
                    .transform(BulkheadOperator.of(streamBulkhead));
            return StreamSignals.observed(retried, new StreamSignals.Observer<Object>() {
                @Override
                public void onComplete() {
                    reporter.succeeded(operation, start);
                }

                @Override
                public Throwable onError(Throwable failure) {
                    RunRelayException translated = translation.toDomain(failure);
                    ObservationLogScope.INSTANCE.run(context, () -> reporter.failed(
                            operation, attempts.ids(arguments), translated, attempts.count, start));
                    return translated;
                }

                @Override
                public void onCancel() {
                    reporter.cancelled(operation, start);
                }
            });
        });
        return FlowBridge.toFlow(guarded);
    }

    /**
     * Ends the attempt with {@code timeout} when its first event is later than the first-event limit or
     * it then stays silent longer than the idle limit. Each event only stamps a volatile time; one timer
     * per stream, re-armed when it fires to the remaining time since the last event, does the checking
     * (a {@code Flux.timeout} with a timer per event scheduled and cancelled a {@code MonoDelay} each time).
     */
    private static Flux<Object> untilSilent(Flux<Object> source, GuardedOperation operation, StreamAttempts attempts) {
        return Flux.defer(() -> {
            Activity activity = new Activity(
                    System.nanoTime(), operation.firstEventTimeout().toNanos(), operation.idleTimeout().toNanos());
            // Emits once the limit is passed (takeUntilOther then cancels the source before completing);
            // otherwise sleeps until the deadline the last event set, and looks again.
            Flux<Boolean> expiry = Mono.defer(() -> {
                        long remaining = activity.remainingNanos(System.nanoTime());
                        if (remaining > 0) {
                            return Mono.delay(Duration.ofNanos(activity.sleepNanos(remaining)))
                                    .then(Mono.<Boolean>empty());
                        }
                        return activity.expire() ? Mono.just(Boolean.TRUE) : Mono.<Boolean>never();
                    })
                    .repeat();
            Flux<Object> stamped = StreamSignals.observed(source, new StreamSignals.Observer<Object>() {
                @Override
                public void onNext(Object event) {
                    activity.lastEventNanos = System.nanoTime();
                }

                @Override
                public void onComplete() {
                    activity.finish();
                }

                @Override
                public Throwable onError(Throwable failure) {
                    activity.finish();
                    return failure;
                }
            });
            return stamped
                    .takeUntilOther(expiry)
                    .concatWith(Flux.defer(() -> activity.expired()
                            ? Flux.error(streamTimedOut(operation, attempts.emitted()))
                            : Flux.empty()));
        });
    }

    /**
     * When one stream attempt started and last emitted, and whether it ended or timed out first;
     * written by its events, read by its timer.
     */
    private static final class Activity {
        private static final long NONE = Long.MIN_VALUE;
        private static final int ACTIVE = 0;
        private static final int FINISHED = 1;
        private static final int EXPIRED = 2;

        private final long startNanos;
        private final long firstEventNanos;
        private final long idleNanos;
        private final AtomicInteger state = new AtomicInteger(ACTIVE);
        volatile long lastEventNanos = NONE;

        Activity(long startNanos, long firstEventNanos, long idleNanos) {
            this.startNanos = startNanos;
            this.firstEventNanos = firstEventNanos;
            this.idleNanos = idleNanos;
        }

        long remainingNanos(long now) {
            long last = lastEventNanos;
            return last == NONE ? startNanos + firstEventNanos - now : last + idleNanos - now;
        }

        /**
         * How long the timer may sleep before looking again. Before the first event it wakes at the
         * earlier of the first-event deadline and one idle period: an event may arrive meanwhile and set
         * an idle deadline well before the first-event one (idle 5 s, first event 30 s: a stall after
         * the first events is found after 5 s, not after 30).
         */
        long sleepNanos(long remaining) {
            return lastEventNanos == NONE ? Math.min(remaining, idleNanos) : remaining;
        }

        /** True when the time limit won over the source's own end. */
        boolean expire() {
            return state.compareAndSet(ACTIVE, EXPIRED);
        }

        void finish() {
            state.compareAndSet(ACTIVE, FINISHED);
        }

        boolean expired() {
            return state.get() == EXPIRED;
        }
    }

    /**
     * The breaker sees one outcome per stream attempt: success at its first event (or at an empty
     * end), failure when it fails before any event. Its length is never recorded, so a long healthy
     * stream is not a slow call; a drop after the first event is the stream's, not the provider's health.
     * The same operator counts the attempt's first event, learns its ids, and translates its failure
     * ({@code interrupted} once an event went out).
     */
    private Flux<Object> recordedByCircuitBreakerOnce(Flux<Object> attempt, StreamAttempts attempts) {
        return Flux.defer(() -> {
            if (!circuitBreaker.tryAcquirePermission()) {
                return Flux.error(interruptedIfStarted(translation.toDomain(
                        CallNotPermittedException.createCallNotPermittedException(circuitBreaker)), attempts.emitted()));
            }
            long start = circuitBreaker.getCurrentTimestamp();
            return StreamSignals.observed(attempt, new StreamSignals.Observer<Object>() {
                // A cancel may come from another thread than the events; the plain read keeps the CAS off each event.
                private final AtomicBoolean recorded = new AtomicBoolean();

                private boolean record() {
                    return !recorded.get() && recorded.compareAndSet(false, true);
                }

                private void success() {
                    if (record()) {
                        circuitBreaker.onSuccess(
                                circuitBreaker.getCurrentTimestamp() - start, circuitBreaker.getTimestampUnit());
                    }
                }

                @Override
                public void onNext(Object event) {
                    success();
                    attempts.firstEvent();
                    attempts.learnIds(event);
                }

                @Override
                public void onComplete() {
                    success();
                }

                @Override
                public Throwable onError(Throwable failure) {
                    RunRelayException translated = translation.toDomain(failure);
                    if (record()) {
                        circuitBreaker.onError(circuitBreaker.getCurrentTimestamp() - start,
                                circuitBreaker.getTimestampUnit(), translated);
                    }
                    return interruptedIfStarted(translated, attempts.emitted());
                }

                @Override
                public void onCancel() {
                    if (record()) {
                        circuitBreaker.releasePermission();
                    }
                }
            });
        });
    }

    /** After the first event the domain decides what a failure means (a lost connection: interrupted). */
    private static RunRelayException interruptedIfStarted(RunRelayException failure, boolean started) {
        return started ? StreamFailures.afterFirstEvent(failure) : failure;
    }

    // --- anything else ------------------------------------------------------------------------

    private Object guardPlain(GuardedOperation operation, MethodInvocation invocation) {
        long start = System.nanoTime();
        try {
            Object result = AopUtils.invokeJoinpointUsingReflection(
                    invocation.getThis(), invocation.getMethod(), invocation.getArguments());
            reporter.succeeded(operation, start);
            return result;
        } catch (Throwable failure) {
            RunRelayException translated = translation.toDomain(failure);
            reporter.failed(operation, invocation.getArguments(), translated, 1, start);
            throw translated;
        }
    }

    // --- retry --------------------------------------------------------------------------------

    /**
     * Reactor's retry driven by the operation's resilience4j {@link Retry} (attempts, backoff,
     * which errors, metrics), plus what only this subscription knows: whether a stream already
     * emitted, and how long this call has waited in total. {@code stream} is the stream's context, whose
     * Observation scopes the retry lines (empty for a call).
     */
    private reactor.util.retry.Retry retryPolicy(GuardedOperation operation, Object[] arguments, Attempts attempts,
            BooleanSupplier started, ContextView stream) {
        Duration maxTotalWait = properties.retry().maxTotalWait();
        return reactor.util.retry.Retry.from(signals -> signals.concatMap(signal -> {
            RunRelayException failure = translation.toDomain(signal.failure());
            if (started.getAsBoolean() || FailureTranslation.refusedByCircuitBreaker(failure)) {
                return Mono.error(failure);
            }
            long waitMillis = attempts.context.onError(failure);
            if (waitMillis < 0 || attempts.waitedMillis + waitMillis > maxTotalWait.toMillis()) {
                return Mono.error(failure);
            }
            attempts.waitedMillis += waitMillis;
            Duration wait = Duration.ofMillis(waitMillis);
            ObservationLogScope.INSTANCE.run(stream, () -> reporter.retrying(operation, arguments, failure, attempts.count, wait));
            return Mono.delay(wait);
        }));
    }

    private boolean shouldRetry(Throwable failure, boolean idempotent) {
        if (!(failure instanceof RunRelayException domain) || FailureTranslation.refusedByCircuitBreaker(domain)) {
            return false;
        }
        return RETRYABLE.contains(domain.code()) && (idempotent || domain.unprocessed());
    }

    /** Waits {@code Retry-After} when the provider gave one, otherwise the exponential backoff with jitter. */
    private IntervalBiFunction<Object> interval() {
        return (attempt, outcome) -> {
            if (outcome.isLeft()
                    && outcome.getLeft() instanceof RunRelayException failure
                    && failure.retryAfter().isPresent()) {
                return failure.retryAfter().get().toMillis();
            }
            return backoff.apply(attempt);
        };
    }

    // --- resolution of a method into an operation ----------------------------------------------

    private GuardedOperation resolve(Method method) {
        String name = portKey + "." + method.getName();
        ResilienceProperties.OperationOverride override = properties.override(name);
        boolean idempotent = override.idempotent() != null ? override.idempotent() : readsByName(method.getName());
        RetryConfig retryConfig = RetryConfig.custom()
                .maxAttempts(override.maxAttempts() != null ? override.maxAttempts() : properties.retry().maxAttempts())
                .intervalBiFunction(interval())
                .retryOnException(failure -> shouldRetry(failure, idempotent))
                .failAfterMaxAttempts(false)
                .build();
        ResilienceProperties.Timeouts timeouts = properties.timeouts();
        return new GuardedOperation(
                name,
                kindOf(method),
                idempotent,
                retries.retry(name, retryConfig),
                override.callTimeout() != null ? override.callTimeout() : timeouts.call(),
                override.firstEventTimeout() != null ? override.firstEventTimeout() : timeouts.firstEvent(),
                override.idleTimeout() != null ? override.idleTimeout() : timeouts.idle());
    }

    private static GuardedOperation.Kind kindOf(Method method) {
        Class<?> returned = method.getReturnType();
        if (CompletionStage.class.isAssignableFrom(returned) && returned.isAssignableFrom(CompletableFuture.class)) {
            return GuardedOperation.Kind.CALL;
        }
        if (returned == Flow.Publisher.class) {
            return GuardedOperation.Kind.STREAM;
        }
        return GuardedOperation.Kind.PLAIN;
    }

    private static boolean readsByName(String methodName) {
        String lower = methodName.toLowerCase(Locale.ROOT);
        for (String prefix : READ_PREFIXES) {
            if (lower.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    // --- helpers ------------------------------------------------------------------------------

    /**
     * Calls the real port method. What it throws (an assembly-time failure) is rethrown unchecked for
     * the reactive chain around the call to turn into an error signal.
     */
    @SuppressWarnings("unchecked")
    private static <R> R invokeTarget(MethodInvocation invocation, Class<?> expected) {
        Object result;
        try {
            result = AopUtils.invokeJoinpointUsingReflection(
                    invocation.getThis(), invocation.getMethod(), invocation.getArguments());
        } catch (Throwable failure) {
            throw Exceptions.propagate(failure);
        }
        if (result == null) {
            throw new IllegalStateException(
                    "port method " + invocation.getMethod().getName() + " returned null instead of a "
                            + expected.getSimpleName());
        }
        return (R) result;
    }

    private static RunRelayException callTimedOut(GuardedOperation operation) {
        return new RunRelayException(
                ErrorCode.TIMEOUT,
                "The provider did not answer within " + operation.callTimeout().toMillis() + " ms.");
    }

    private static RunRelayException streamTimedOut(GuardedOperation operation, boolean started) {
        return started
                ? new RunRelayException(
                        ErrorCode.TIMEOUT,
                        "The provider's stream sent nothing for " + operation.idleTimeout().toMillis() + " ms.")
                : new RunRelayException(
                        ErrorCode.TIMEOUT,
                        "The provider's stream sent no first event within "
                                + operation.firstEventTimeout().toMillis() + " ms.");
    }

    /** What one guarded call has spent of its retry budget. Confined to one subscription's signals. */
    private static class Attempts {
        final Retry.AsyncContext<Object> context;
        int count;
        long waitedMillis;

        Attempts(Retry.AsyncContext<Object> context) {
            this.context = context;
        }
    }

    private static final class StreamAttempts extends Attempts {
        private volatile boolean emitted;
        private volatile String threadId;
        private volatile String runId;

        StreamAttempts(Retry.AsyncContext<Object> context) {
            super(context);
        }

        /** The thread and run a new-thread stream learns from its events, for the log lines. */
        void learnIds(Object event) {
            switch (event) {
                case RunEvent.ThreadCreated created -> threadId = created.threadId();
                case RunEvent.RunStatusChanged changed -> {
                    threadId = changed.run().threadId();
                    runId = changed.run().id();
                }
                case RunEvent.StreamEnded ended -> {
                    threadId = ended.threadId();
                    runId = ended.runId();
                }
                default -> {}
            }
        }

        CommandIds ids(Object[] arguments) {
            CommandIds fromCommand = CommandIds.of(arguments);
            return new CommandIds(fromCommand.threadId() != null ? fromCommand.threadId() : threadId,
                    fromCommand.runId() != null ? fromCommand.runId() : runId);
        }

        void firstEvent() {
            if (!emitted) {
                emitted = true;
                context.onComplete();
            }
        }

        boolean emitted() {
            return emitted;
        }
    }
}
