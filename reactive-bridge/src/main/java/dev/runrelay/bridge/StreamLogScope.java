package dev.runrelay.bridge;

import reactor.util.context.ContextView;

/**
 * The scope a log line about a stream is written in, found in the stream's Reactor context: with tracing, the
 * stream's Observation, so the line carries the stream's trace id (MDC {@code traceId}/{@code spanId}). The
 * composition root knows the tracing library and supplies it; code that logs about a stream away from the
 * stream's own signals (after a delay, on another thread) writes through {@link StreamContext#log}.
 */
@FunctionalInterface
public interface StreamLogScope {

    /** No scope of its own: the line gets the request id alone. */
    StreamLogScope NONE = (stream, logLine) -> logLine.run();

    /** Runs {@code logLine} in the scope of the stream whose context is {@code stream}. */
    void run(ContextView stream, Runnable logLine);
}
