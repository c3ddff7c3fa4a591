package dev.runrelay.bridge;

import java.util.Optional;
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

    private StreamContext() {}

    /** The context a stream for {@code requestId} runs in. */
    public static Context withRequestId(String requestId) {
        return requestId == null ? Context.empty() : Context.of(REQUEST_ID, requestId);
    }

    /** The client's request id of the stream running in {@code context}, if any. */
    public static Optional<String> requestId(ContextView context) {
        return context.getOrEmpty(REQUEST_ID);
    }
}
