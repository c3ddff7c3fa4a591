package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.StringJoiner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Logs each failed call once and records every call's outcome, per operation and error code. It
 * logs the domain error (code, safe message, provider request id, ids from the command, attempts)
 * and the types of its cause chain down to the root, never a raw exception message or a request's contents: those may hold
 * an API key or a user's text.
 *
 * <p>Meters: {@code runrelay.provider.calls} (timer; tags provider, operation, outcome, code) and
 * {@code runrelay.provider.retries} (counter; tags provider, operation, code).
 */
final class FailureReporter {

    static final String CALLS = "runrelay.provider.calls";
    static final String RETRIES = "runrelay.provider.retries";

    private static final Logger log = LoggerFactory.getLogger(FailureReporter.class);

    private final String provider;
    private final MeterRegistry meters;

    FailureReporter(String provider, MeterRegistry meters) {
        this.provider = provider;
        this.meters = meters;
    }

    void succeeded(GuardedOperation operation, long startNanos) {
        record(operation, "success", "none", startNanos);
    }

    void cancelled(GuardedOperation operation, long startNanos) {
        record(operation, "cancelled", "none", startNanos);
    }

    void failed(GuardedOperation operation, Object[] arguments, RunRelayException failure, int attempts, long startNanos) {
        failed(operation, CommandIds.of(arguments), failure, attempts, startNanos);
    }

    /** A failed stream names the ids it learned from its events when its command had none (a new thread). */
    void failed(GuardedOperation operation, CommandIds ids, RunRelayException failure, int attempts, long startNanos) {
        record(operation, "error", failure.code().code(), startNanos);
        log.atLevel(levelOf(failure.code()))
                .setMessage("provider call failed: provider={} operation={} code={} threadId={} runId={}"
                        + " providerRequestId={} attempts={} cause={} message=\"{}\"")
                .addArgument(provider)
                .addArgument(operation.name())
                .addArgument(failure.code().code())
                .addArgument(ids.threadId())
                .addArgument(ids.runId())
                .addArgument(() -> failure.providerRequestId().orElse(null))
                .addArgument(attempts)
                .addArgument(() -> causeTypes(failure))
                .addArgument(failure.getMessage())
                .log();
    }

    void retrying(GuardedOperation operation, Object[] arguments, RunRelayException failure, int attempt, Duration wait) {
        meters.counter(RETRIES, "provider", provider, "operation", operation.name(), "code", failure.code().code())
                .increment();
        CommandIds ids = CommandIds.of(arguments);
        log.info(
                "retrying provider call: provider={} operation={} code={} threadId={} runId={} providerRequestId={}"
                        + " attempt={} wait={}ms",
                provider,
                operation.name(),
                failure.code().code(),
                ids.threadId(),
                ids.runId(),
                failure.providerRequestId().orElse(null),
                attempt,
                wait.toMillis());
    }

    /** The cause chain's types, outermost first, e.g. {@code OpenAIIoException<-SocketException}: enough to diagnose, no message. */
    static String causeTypes(Throwable failure) {
        var types = new StringJoiner("<-");
        var seen = Collections.newSetFromMap(new IdentityHashMap<Throwable, Boolean>());
        for (Throwable cause = failure.getCause(); cause != null && seen.add(cause); cause = cause.getCause()) {
            types.add(cause.getClass().getName());
        }
        return types.length() == 0 ? null : types.toString();
    }

    /** A client's own mistake is INFO, something an operator must fix or watch is WARN, an outage ERROR. */
    static Level levelOf(ErrorCode code) {
        return switch (code) {
            case INVALID_REQUEST, NOT_FOUND, CONFLICT, UNSUPPORTED_OPERATION -> Level.INFO;
            case UNAUTHORIZED, PERMISSION_DENIED, QUOTA_EXCEEDED, RATE_LIMITED, OVERLOADED, TIMEOUT, STREAM_INTERRUPTED ->
                Level.WARN;
            case PROVIDER_UNAVAILABLE, INTERNAL -> Level.ERROR;
        };
    }

    private void record(GuardedOperation operation, String outcome, String code, long startNanos) {
        Timer.builder(CALLS)
                .description("Calls through the driven ports, per operation and outcome")
                .tags("provider", provider, "operation", operation.name(), "outcome", outcome, "code", code)
                .register(meters)
                .record(Duration.ofNanos(System.nanoTime() - startNanos));
    }
}
