package dev.runrelay.bootstrap.resilience;

import io.github.resilience4j.retry.Retry;
import java.time.Duration;

/**
 * One port method as the aspect treats it, resolved once from the method and the properties.
 *
 * @param name e.g. {@code runs.retrieve}: the metric tag, log field and property key
 * @param idempotent whether any retryable failure may be retried (reads), not only unprocessed ones
 */
record GuardedOperation(
        String name,
        Kind kind,
        boolean idempotent,
        Retry retry,
        Duration callTimeout,
        Duration firstEventTimeout,
        Duration idleTimeout) {

    enum Kind {
        /** Returns a CompletionStage: one answer. */
        CALL,
        /** Returns a Flow.Publisher: a stream of events. */
        STREAM,
        /** Anything else: only its thrown exceptions are translated. */
        PLAIN
    }
}
