package dev.runrelay.adapter.websocket;

import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.bridge.StreamContext;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import dev.runrelay.adapter.websocket.ServerFrame.PongFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ResultFrame;
import dev.runrelay.application.usecase.ActAsCallerUseCase;
import dev.runrelay.application.usecase.RunUseCases;
import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.run.CancelRunCommand;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;
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
import reactor.core.Disposable;
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

    private final ActAsCallerUseCase runs;
    private final Clock clock = Clock.systemUTC();
    private final RunsWebSocketProperties properties;
    private final RunsWebSocketMetrics metrics;
    private final FrameCodec codec = new FrameCodec();
    private final RunStreamLog streamLog;
    private final Duration resumeGrace;
    private final RunsMessageDecoder decoder = new RunsMessageDecoder(codec.mapper());
    private final RunsErrorResolver errors = new RunsErrorResolver();
    private final Set<RunsConnection> connections = ConcurrentHashMap.newKeySet();
    private final long maxFrameBytes;
    private final long idleTimeoutNanos;
    private volatile boolean shuttingDown;

    /** With the run event log: every stream is logged, and {@code resume} replays it (docs/protocol.md). */
    RunsWebSocketHandler(ActAsCallerUseCase runs, RunsWebSocketProperties properties, RunEventLogPort eventLog,
            RunsResumeProperties resume, RunsWebSocketMetrics metrics) {
        this(runs, properties, eventLog, resume, metrics, null);
    }

    /** With a takeover: a resume whose producer is gone continues the run here (docs/adr/0025). */
    RunsWebSocketHandler(ActAsCallerUseCase runs, RunsWebSocketProperties properties, RunEventLogPort eventLog,
            RunsResumeProperties resume, RunsWebSocketMetrics metrics, TakeOverRunUseCase takeover) {
        this.runs = runs;
        this.properties = properties;
        this.metrics = metrics;
        this.maxFrameBytes = properties.maxFrameSize().toBytes();
        this.idleTimeoutNanos = properties.idleTimeout().toNanos();
        this.streamLog = new RunStreamLog(eventLog, codec, Clock.systemUTC(), takeover == null ? null
                : new RunStreamTakeover(eventLog, takeover, codec, properties.outboundBufferSize()));
        this.resumeGrace = resume.resumeGrace();
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        return handle(session, ConnectionCaller.LOCAL);
    }

    /** Serves one socket on behalf of the principal its handshake authenticated. */
    Mono<Void> handle(WebSocketSession session, ConnectionCaller caller) {
        var connection = new RunsConnection(session, caller, runs.actAs(caller.owner()), metrics);
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
        if (!(request instanceof ClientRequest.Ping) && connection.caller().expired(clock)) {
            return refuse(session, request.requestId(), ConnectionCaller.expiredError());
        }
        RunUseCases callers = connection.runs();
        return switch (request) {
            case ClientRequest.Ping ping -> Mono.just(codec.encode(session, new PongFrame(ping.requestId())));
            case ClientRequest.Streaming streaming -> stream(connection, session, streaming);
            case ClientRequest.Cancel cancel ->
                    result(session, cancel.requestId(), () -> callers.cancelRun(cancel.command()), WireData.RunData::from);
            case ClientRequest.GetRun get ->
                    result(session, get.requestId(), () -> callers.retrieveRun(get.command()), WireData.RunData::from);
            case ClientRequest.ListRuns list -> result(session, list.requestId(),
                    () -> callers.listRuns(list.command()), page -> WireData.PageData.from(page, WireData.RunData::from));
            case ClientRequest.UpdateRun update ->
                    result(session, update.requestId(), () -> callers.updateRun(update.command()), WireData.RunData::from);
            case ClientRequest.ListSteps list -> result(session, list.requestId(),
                    () -> callers.listRunSteps(list.command()),
                    page -> WireData.PageData.from(page, WireData.RunStepData::from));
            case ClientRequest.GetStep get -> result(session, get.requestId(),
                    () -> callers.retrieveRunStep(get.command()), WireData.RunStepData::from);
            case ClientRequest.Resume resume -> resume(connection, session, resume);
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
        RunStreamLog.Recorder recorder = streamLog.recorder(relay);
        Flux<RunEvent> events = Flux.defer(() -> FlowBridge.toFlux(start(connection.runs(), request)))
                .contextWrite(StreamContext.withRequestId(requestId))
                .contextWrite(watch::inContext)
                .transform(upstream -> RunsWebSocketShutdown.cutOnShutdown(upstream, connection.cutSignal(),
                        () -> abandoned(connection, relay)));
        // One operator per frame for the metrics and the encoding (a doOnNext and a map were two).
        Flux<byte[]> frames = relay.frames(events, properties.outboundBufferSize(), errors::resolve)
                .map(frame -> {
                    watch.frame(frame);
                    return recorder.encode(frame);
                });
        if (resumeGrace.isPositive()) {
            return outlivingTheSocket(connection, session, relay, recorder, frames).doFinally(watch::finish);
        }
        return frames.map(bytes -> text(session, bytes))
                .concatWith(Mono.fromSupplier(() -> connection.removeStream(relay) ? DRAINED : null))
                .doOnCancel(() -> {
                    recorder.interrupted();
                    abandoned(connection, relay);
                })
                .doFinally(watch::finish);
    }

    /**
     * {@code resume-grace}: the stream is shared between the socket and a keeper that drains it into the
     * log, so it goes on when the socket goes. When the grace has passed, a run nobody resumed is stopped
     * (upstream closed, cancelled at the provider as configured); a resumed one runs to its end.
     */
    private Flux<WebSocketMessage> outlivingTheSocket(RunsConnection connection, WebSocketSession session,
            RunStreamRelay relay, RunStreamLog.Recorder recorder, Flux<byte[]> frames) {
        return Flux.defer(() -> {
            var upstream = new AtomicReference<Disposable>();
            Flux<byte[]> shared = frames.publish().autoConnect(2, upstream::set);
            shared.subscribe(null, failure -> log.debug("Stream of request {} failed: {}", relay.requestId(),
                    failure.toString()));
            return shared.map(bytes -> text(session, bytes))
                    .concatWith(Mono.fromSupplier(() -> connection.removeStream(relay) ? DRAINED : null))
                    .doOnCancel(() -> {
                        connection.removeStream(relay);
                        Instant closedAt = Instant.now();
                        Mono.delay(resumeGrace).subscribe(tick -> graceOver(connection, relay, recorder,
                                upstream.get(), closedAt));
                    });
        });
    }

    private void graceOver(RunsConnection connection, RunStreamRelay relay, RunStreamLog.Recorder recorder,
            Disposable upstream, Instant closedAt) {
        if (!relay.mayBeRunning()) {
            return;
        }
        String runId = relay.runId();
        Mono.fromCompletionStage(() -> runId == null
                        ? CompletableFuture.completedFuture(Optional.<Instant>empty())
                        : streamLog.lastResumed(runId))
                .onErrorReturn(Optional.empty())
                .subscribe(resumed -> {
                    if (resumed.isPresent() && !resumed.get().isBefore(closedAt)) {
                        log.debug("Run {} was resumed; it streams on into its log", runId);
                        return;
                    }
                    upstream.dispose();
                    recorder.interrupted();
                    abandoned(connection, relay);
                });
    }

    /**
     * {@code resume}: if the caller may resume the run, its log after {@code afterSeq}, then live to
     * {@code end} (RunStreamLog).
     */
    private Flux<WebSocketMessage> resume(
            RunsConnection connection, WebSocketSession session, ClientRequest.Resume request) {
        String requestId = request.requestId();
        if (connection.hasStream(requestId)) {
            return refuse(session, requestId, ProtocolException.invalidField(
                    "requestId", "is already used by a running stream on this connection", requestId)).flux();
        }
        if (connection.streamCount() >= properties.maxStreamsPerConnection()) {
            return refuse(session, requestId, new ProtocolException(ProtocolException.TOO_MANY_STREAMS,
                    "This connection already streams " + properties.maxStreamsPerConnection()
                            + " runs; wait for one to end.", true, null, requestId)).flux();
        }
        var relay = new RunStreamRelay(requestId, null, request.runId());
        connection.addStream(relay);
        // The core decides who may read the log: another principal's run answers not_found, like an unknown one.
        return Mono.fromCompletionStage(() -> connection.runs().mayResume(request.runId()))
                .thenMany(Flux.defer(() -> streamLog.resume(requestId, request.runId(), request.afterSeq())))
                .onBackpressureBuffer(properties.outboundBufferSize())
                .map(bytes -> text(session, bytes))
                .onErrorResume(failure -> refuse(session, requestId, failure))
                .concatWith(Mono.fromSupplier(() -> connection.removeStream(relay) ? DRAINED : null))
                .doOnCancel(() -> connection.removeStream(relay));
    }

    private static WebSocketMessage text(WebSocketSession session, byte[] bytes) {
        return new WebSocketMessage(WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(bytes));
    }

    private static Flow.Publisher<RunEvent> start(RunUseCases callers, ClientRequest.Streaming request) {
        return switch (request) {
            case ClientRequest.StartRun run -> callers.startRun(run.command());
            case ClientRequest.StartThreadAndRun run -> callers.startThreadAndRun(run.command());
            case ClientRequest.SubmitToolOutputs submit -> callers.submitToolOutputs(submit.command());
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
            connection.runs().cancelRun(new CancelRunCommand(threadId, runId)).whenComplete((run, failure) -> {
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
