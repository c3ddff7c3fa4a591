package dev.runrelay.adapter.websocket;

import dev.runrelay.application.usecase.RunUseCases;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** The state of one socket: its running streams, when the client was last heard from, and how it closes. */
final class RunsConnection {

    private static final Logger log = LoggerFactory.getLogger(RunsConnection.class);

    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

    private final WebSocketSession session;
    private final ConnectionCaller caller;
    private final RunUseCases runs;
    private final RunsWebSocketMetrics metrics;
    private final Map<String, RunStreamRelay> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Sinks.Empty<Void> closed = Sinks.empty();
    private final Sinks.Empty<Void> cut = Sinks.empty();
    private volatile long lastHeardNanos = System.nanoTime();
    private volatile boolean draining;

    RunsConnection(WebSocketSession session, ConnectionCaller caller, RunUseCases runs, RunsWebSocketMetrics metrics) {
        this.session = session;
        this.caller = caller;
        this.runs = runs;
        this.metrics = metrics;
    }

    /** Who the socket's handshake authenticated. */
    ConnectionCaller caller() {
        return caller;
    }

    /** The run operations as this socket's caller may use them. */
    RunUseCases runs() {
        return runs;
    }

    String id() {
        return session.getId();
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long silentForNanos() {
        return System.nanoTime() - lastHeardNanos;
    }

    boolean draining() {
        return draining;
    }

    int streamCount() {
        return streams.size();
    }

    boolean hasStream(String requestId) {
        return streams.containsKey(requestId);
    }

    void addStream(RunStreamRelay relay) {
        streams.put(relay.requestId(), relay);
    }

    /** Forgets a finished stream; true when that was the last one of a draining socket. */
    boolean removeStream(RunStreamRelay relay) {
        streams.remove(relay.requestId(), relay);
        return draining && streams.isEmpty();
    }

    /** Stop taking new runs; the socket closes with 1001 once its streams have ended. */
    void drain() {
        draining = true;
        if (streams.isEmpty()) {
            close(RunsWebSocketHandler.GOING_AWAY);
        }
    }

    /** The shutdown grace period is over: the running streams end now with {@code shutting_down}. */
    void cut() {
        cut.tryEmitEmpty();
    }

    /** Completes when the streams of this socket are to be cut. */
    Mono<Void> cutSignal() {
        return cut.asMono();
    }

    /**
     * Sends the close frame with {@code status} (once); the frames already handed to the transport go
     * out before it. The streams still running are cancelled when the socket is gone ({@link #closed()}).
     */
    void close(CloseStatus status) {
        if (closing.compareAndSet(false, true)) {
            metrics.closed(id(), status);
            session.close(status)
                    .doFinally(signal -> closed.tryEmitEmpty())
                    .subscribe(null, e -> log.debug("Closing socket {} failed", id(), e));
            // A peer that reads nothing may never let the close frame out; stop waiting for it. Not by cancelling
            // the close: Reactor Netty then releases the close frame that the socket still holds (a double
            // release; ADR 0029).
            Mono.delay(CLOSE_TIMEOUT).subscribe(tick -> closed.tryEmitEmpty());
        }
    }

    /** The socket is gone (client closed, transport failed, or we closed it). */
    void markClosed() {
        closing.set(true);
        closed.tryEmitEmpty();
    }

    Mono<Void> closed() {
        return closed.asMono();
    }
}
