package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import dev.runrelay.adapter.websocket.ServerFrame.PongFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ResultFrame;
import dev.runrelay.application.usecase.CancelRunUseCase;
import dev.runrelay.application.usecase.ListRunStepsUseCase;
import dev.runrelay.application.usecase.ListRunsUseCase;
import dev.runrelay.application.usecase.RetrieveRunStepUseCase;
import dev.runrelay.application.usecase.RetrieveRunUseCase;
import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.application.usecase.UpdateRunUseCase;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.run.CancelRunCommand;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.function.Function;
import java.util.function.Supplier;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The WebSocket protocol of docs/protocol.md. Per socket, one {@code session.send(...)} is fed by one
 * outbound flux: the replies to {@code session.receive()} (each client frame decoded and dispatched by
 * its type; streamed runs merged in as they go) plus the server's pings.
 *
 * <p>No thread hand-off of our own: frames are made and encoded on the thread that delivers the event,
 * and Reactor Netty writes and flushes them in batches as the socket can take them. Each stream buffers
 * at most {@code outbound-buffer-size} frames for a slow client; beyond that it is stopped with
 * {@code slow_consumer}.
 */
public final class RunsWebSocketHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(RunsWebSocketHandler.class);

    /** Server shutdown. */
    static final CloseStatus GOING_AWAY = CloseStatus.GOING_AWAY;
    /** A frame beyond the transport limit. */
    static final CloseStatus MESSAGE_TOO_BIG = CloseStatus.TOO_BIG_TO_PROCESS;
    /** Nothing (not even a pong) came from the client for {@code idle-timeout}. */
    static final CloseStatus IDLE_TIMEOUT = new CloseStatus(4408, "Idle timeout");

    /** Marks, in the outbound flux, that a draining socket's last stream has been handed to the transport. */
    private static final WebSocketMessage DRAINED =
            new WebSocketMessage(WebSocketMessage.Type.PONG, DefaultDataBufferFactory.sharedInstance.allocateBuffer(0));

    /** Replies that are not streams (results, errors, pongs) that may be pending at once per socket. */
    private static final int PENDING_REPLIES = 16;

    private final StartRunUseCase startRun;
    private final StartThreadAndRunUseCase startThreadAndRun;
    private final SubmitToolOutputsUseCase submitToolOutputs;
    private final CancelRunUseCase cancelRun;
    private final RetrieveRunUseCase retrieveRun;
    private final ListRunsUseCase listRuns;
    private final UpdateRunUseCase updateRun;
    private final ListRunStepsUseCase listRunSteps;
    private final RetrieveRunStepUseCase retrieveRunStep;
    private final RunsWebSocketProperties properties;
    private final RunsWebSocketMetrics metrics;
    private final FrameCodec codec = new FrameCodec();
    private final RunsMessageDecoder decoder = new RunsMessageDecoder(codec.mapper());
    private final RunsErrorResolver errors = new RunsErrorResolver();
    private final Set<RunsConnection> connections = ConcurrentHashMap.newKeySet();
    private final long maxFrameBytes;
    private final long idleTimeoutNanos;
    private volatile boolean shuttingDown;

    RunsWebSocketHandler(
            StartRunUseCase startRun,
            StartThreadAndRunUseCase startThreadAndRun,
            SubmitToolOutputsUseCase submitToolOutputs,
            CancelRunUseCase cancelRun,
            RetrieveRunUseCase retrieveRun,
            ListRunsUseCase listRuns,
            UpdateRunUseCase updateRun,
            ListRunStepsUseCase listRunSteps,
            RetrieveRunStepUseCase retrieveRunStep,
            RunsWebSocketProperties properties,
            RunsWebSocketMetrics metrics) {
        this.startRun = startRun;
        this.startThreadAndRun = startThreadAndRun;
        this.submitToolOutputs = submitToolOutputs;
        this.cancelRun = cancelRun;
        this.retrieveRun = retrieveRun;
        this.listRuns = listRuns;
        this.updateRun = updateRun;
        this.listRunSteps = listRunSteps;
        this.retrieveRunStep = retrieveRunStep;
        this.properties = properties;
        this.metrics = metrics;
        this.maxFrameBytes = properties.maxFrameSize().toBytes();
        this.idleTimeoutNanos = properties.idleTimeout().toNanos();
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        var connection = new RunsConnection(session, metrics);
        connections.add(connection);
        if (shuttingDown) {
            connection.drain();
        }
        Flux<WebSocketMessage> replies = session.receive()
                .doOnNext(message -> connection.heard())
                .onErrorResume(failure -> {
                    connection.close(closeStatusFor(connection, failure));
                    return Flux.empty();
                })
                .doFinally(signal -> connection.markClosed())
                .flatMap(message -> dispatch(connection, session, message),
                        properties.maxStreamsPerConnection() + PENDING_REPLIES);
        Duration pingInterval = properties.pingInterval();
        Flux<WebSocketMessage> heartbeats = Flux.interval(pingInterval, pingInterval)
                .handle((tick, sink) -> {
                    if (connection.silentForNanos() > idleTimeoutNanos) {
                        log.debug("Socket {} idle for {}; closing it", connection.id(), properties.idleTimeout());
                        connection.close(IDLE_TIMEOUT);
                    } else {
                        sink.next(session.pingMessage(factory -> factory.allocateBuffer(0)));
                    }
                });
        Flux<WebSocketMessage> outbound = Flux.merge(replies, heartbeats)
                .filter(message -> {
                    if (message == DRAINED) {
                        connection.close(GOING_AWAY);
                        return false;
                    }
                    return true;
                })
                .takeUntilOther(connection.closed());
        return session.send(outbound)
                .doFinally(signal -> connections.remove(connection));
    }

    /** A transport-level read failure: 1009 for a frame beyond the transport limit, else the decoder's say. */
    private static CloseStatus closeStatusFor(RunsConnection connection, Throwable failure) {
        log.debug("Socket {} failed reading: {}", connection.id(), failure.toString());
        if (failure instanceof TooLongFrameException) {
            return MESSAGE_TOO_BIG;
        }
        if (failure instanceof CorruptedWebSocketFrameException corrupted) {
            return new CloseStatus(corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
        }
        return CloseStatus.SERVER_ERROR;
    }

    /**
     * Starts the shutdown at once: stops taking new runs, lets the running streams end, and closes every
     * socket with 1001 when its streams have ended or {@code gracePeriod} has passed, whichever is first.
     * The returned Mono completes when every socket is closed.
     */
    public Mono<Void> shutdown(Duration gracePeriod) {
        shuttingDown = true;
        List<RunsConnection> open = List.copyOf(connections);
        open.forEach(RunsConnection::drain);
        Mono<Void> allClosed = Flux.fromIterable(open).flatMap(RunsConnection::closed).then();
        return allClosed.timeout(gracePeriod, Mono.defer(() -> {
            log.info("Shutdown grace period {} passed; cutting the streams of {} sockets", gracePeriod,
                    connections.size());
            // Each cut stream sends error shutting_down and end; its socket closes with 1001 after them.
            open.forEach(RunsConnection::cut);
            return allClosed.timeout(RunsWebSocketShutdown.CUT_TIMEOUT, Mono.defer(() -> {
                open.forEach(connection -> connection.close(GOING_AWAY));
                return allClosed.timeout(Duration.ofSeconds(1), Mono.empty());
            }));
        }));
    }

    /** The sockets open now. */
    public int openConnections() {
        return connections.size();
    }

    private Publisher<WebSocketMessage> dispatch(
            RunsConnection connection, WebSocketSession session, WebSocketMessage message) {
        if (message.getType() == WebSocketMessage.Type.PING || message.getType() == WebSocketMessage.Type.PONG) {
            return Mono.empty();
        }
        if (message.getType() == WebSocketMessage.Type.BINARY) {
            return refuse(session, null, ProtocolException.of(ProtocolException.INVALID_JSON,
                    "Binary frames are not supported; send one JSON object per text frame.", null));
        }
        DataBuffer payload = message.getPayload();
        int size = payload.readableByteCount();
        if (size > maxFrameBytes) {
            return refuse(session, null, ProtocolException.of(ProtocolException.FRAME_TOO_LARGE,
                    "The frame has " + size + " bytes; the limit is " + maxFrameBytes + ".", null));
        }
        byte[] bytes = new byte[size];
        payload.read(bytes);
        ClientRequest request;
        try {
            request = decoder.decode(bytes);
        } catch (ProtocolException e) {
            return refuse(session, e.requestId(), e);
        } catch (RuntimeException e) {
            return refuse(session, null, e);
        }
        return switch (request) {
            case ClientRequest.Ping ping -> Mono.just(codec.encode(session, new PongFrame(ping.requestId())));
            case ClientRequest.Streaming streaming -> stream(connection, session, streaming);
            case ClientRequest.Cancel cancel ->
                    result(session, cancel.requestId(), () -> cancelRun.cancelRun(cancel.command()), WireData.RunData::from);
            case ClientRequest.GetRun get ->
                    result(session, get.requestId(), () -> retrieveRun.retrieveRun(get.command()), WireData.RunData::from);
            case ClientRequest.ListRuns list -> result(session, list.requestId(),
                    () -> listRuns.listRuns(list.command()), page -> WireData.PageData.from(page, WireData.RunData::from));
            case ClientRequest.UpdateRun update ->
                    result(session, update.requestId(), () -> updateRun.updateRun(update.command()), WireData.RunData::from);
            case ClientRequest.ListSteps list -> result(session, list.requestId(),
                    () -> listRunSteps.listRunSteps(list.command()),
                    page -> WireData.PageData.from(page, WireData.RunStepData::from));
            case ClientRequest.GetStep get -> result(session, get.requestId(),
                    () -> retrieveRunStep.retrieveRunStep(get.command()), WireData.RunStepData::from);
        };
    }

    private Flux<WebSocketMessage> stream(
            RunsConnection connection, WebSocketSession session, ClientRequest.Streaming request) {
        String requestId = request.requestId();
        if (shuttingDown || connection.draining()) {
            return refuse(session, requestId, new ProtocolException(ProtocolException.SHUTTING_DOWN,
                    "The server is shutting down; start the run again on a new connection.", true, null, requestId))
                    .flux();
        }
        if (connection.hasStream(requestId)) {
            return refuse(session, requestId, ProtocolException.invalidField(
                    "requestId", "is already used by a running stream on this connection", requestId)).flux();
        }
        if (connection.streamCount() >= properties.maxStreamsPerConnection()) {
            return refuse(session, requestId, new ProtocolException(ProtocolException.TOO_MANY_STREAMS,
                    "This connection already streams " + properties.maxStreamsPerConnection()
                            + " runs; wait for one to end.", true, null, requestId)).flux();
        }
        var relay = new RunStreamRelay(requestId, request.threadId(), request.runId());
        connection.addStream(relay);
        var watch = metrics.stream(connection.id(), request);
        Flux<RunEvent> events = Flux.defer(() -> JdkFlowAdapter.flowPublisherToFlux(start(request)))
                .transform(upstream -> RunsWebSocketShutdown.cutOnShutdown(upstream, connection.cutSignal(),
                        () -> abandoned(connection, relay)));
        return relay.frames(events, properties.outboundBufferSize(), errors::resolve)
                .doOnNext(watch::frame)
                .map(frame -> codec.encode(session, frame))
                .concatWith(Mono.fromSupplier(() -> connection.removeStream(relay) ? DRAINED : null))
                .doOnCancel(() -> abandoned(connection, relay))
                .doFinally(watch::finish);
    }

    private Flow.Publisher<RunEvent> start(ClientRequest.Streaming request) {
        return switch (request) {
            case ClientRequest.StartRun run -> startRun.startRun(run.command());
            case ClientRequest.StartThreadAndRun run -> startThreadAndRun.startThreadAndRun(run.command());
            case ClientRequest.SubmitToolOutputs submit -> submitToolOutputs.submitToolOutputs(submit.command());
        };
    }

    /** The socket went away mid-stream: the upstream is already cancelled; the provider's run too if configured. */
    private void abandoned(RunsConnection connection, RunStreamRelay relay) {
        connection.removeStream(relay);
        if (!properties.cancelRunsOnDisconnect() || !relay.mayBeRunning()) {
            return;
        }
        String threadId = relay.threadId();
        String runId = relay.runId();
        if (threadId == null || runId == null) {
            log.info("Socket {} closed before run of request {} was known; nothing to cancel", connection.id(),
                    relay.requestId());
            return;
        }
        try {
            cancelRun.cancelRun(new CancelRunCommand(threadId, runId)).whenComplete((run, failure) -> {
                if (failure != null) {
                    log.warn("Cancelling run {} of a closed socket failed: {}", runId, failure.toString());
                } else {
                    log.debug("Cancelled run {} of a closed socket", runId);
                }
            });
        } catch (RuntimeException e) {
            log.warn("Cancelling run {} of a closed socket failed: {}", runId, e.toString());
        }
    }

    private <T> Mono<WebSocketMessage> result(
            WebSocketSession session, String requestId, Supplier<CompletionStage<T>> call, Function<T, Object> toData) {
        return Mono.fromCompletionStage(call)
                .map(value -> codec.encode(session, new ResultFrame(requestId, toData.apply(value))))
                .switchIfEmpty(Mono.fromSupplier(() -> codec.encode(session, new ResultFrame(requestId, null))))
                .onErrorResume(failure -> refuse(session, requestId, failure));
    }

    private Mono<WebSocketMessage> refuse(WebSocketSession session, String requestId, Throwable failure) {
        ErrorDescription error = errors.resolve(failure);
        metrics.refused(session.getId(), requestId, error.code());
        return Mono.fromSupplier(() -> codec.encode(session, ErrorFrame.refused(requestId, error)));
    }
}
