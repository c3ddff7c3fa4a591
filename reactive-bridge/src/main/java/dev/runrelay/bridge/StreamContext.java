package dev.runrelay.bridge;

import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

/**
 * What travels with a stream in Reactor's {@code Context}, from the socket that asked for it to the
 * provider adapter that serves it ({@link FlowBridge} keeps the pipeline whole, so the context arrives):
 * today the client's request id, for logs and traces on the provider side.
 */
public final class StreamContext {

    /** The {@code requestId} the client gave the stream (protocol field of the same name). */
    public static final String REQUEST_ID = "runrelay.requestId";

    /**
     * The log MDC key under which the request id appears in the log lines written while a stream's
     * events are delivered ({@link #inLogContext(Flux)}): on the provider side, the event loop that reads
     * the upstream response.
     */
    public static final String MDC_REQUEST_ID = "requestId";

    private StreamContext() {}

    /**
     * {@code source}, with the request id of the context it is subscribed in put in the log MDC
     * ({@link #MDC_REQUEST_ID}) while each of its signals is delivered; unchanged without a request id.
     * Apply it where the events enter the pipeline (the provider adapter's source), so every operator
     * below it logs with the id.
     */
    public static <T> Flux<T> inLogContext(Flux<T> source) {
        return StreamLogContext.inLogContext(source);
    }

    /**
     * Runs {@code logLine}, a line about the stream whose context is {@code stream}, with the stream's request id in
     * the log MDC ({@link #MDC_REQUEST_ID}) and inside {@code scope} (its trace), on whatever thread calls it: for
     * lines written away from the stream's own signals, which {@link #inLogContext(Flux)} does not cover.
     */
    public static void log(ContextView stream, StreamLogScope scope, Runnable logLine) {
        StreamLogContext.log(stream, scope, logLine);
    }

    /** The context a stream for {@code requestId} runs in. */
    public static Context withRequestId(String requestId) {
        return requestId == null ? Context.empty() : Context.of(REQUEST_ID, requestId);
    }

    /** The client's request id of the stream running in {@code context}, if any. */
    public static Optional<String> requestId(ContextView context) {
        return context.getOrEmpty(REQUEST_ID);
    }
}
