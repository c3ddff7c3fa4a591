package dev.runrelay.bootstrap;

import dev.runrelay.bridge.StreamLogScope;
import io.micrometer.observation.Observation;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import reactor.util.context.ContextView;

/**
 * A line about a stream is written in the scope of the stream's Observation, which the socket adapter puts in
 * the stream's Reactor context ({@link ObservationThreadLocalAccessor#KEY}): Micrometer Tracing then fills the
 * MDC's {@code traceId}/{@code spanId} with the stream's span. Without an Observation the line is written as it is.
 * The recovery's lines and the error aspect's ({@code PortGuard}) are written through it.
 */
public final class ObservationLogScope implements StreamLogScope {

    public static final StreamLogScope INSTANCE = new ObservationLogScope();

    private ObservationLogScope() {}

    @Override
    public void run(ContextView stream, Runnable logLine) {
        Observation observation = stream.getOrDefault(ObservationThreadLocalAccessor.KEY, null);
        if (observation == null) {
            logLine.run();
        } else {
            observation.scoped(logLine);
        }
    }
}
