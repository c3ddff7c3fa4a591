package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.EndFrame;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorDescription;
import dev.runrelay.adapter.websocket.ServerFrame.ErrorFrame;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunEventLogPort.Entry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.runrelay.bridge.FlowBridge;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WebSocket side of the run event log (docs/protocol.md, "Resuming a stream"): records every frame
 * of a stream, with its seq, in the {@link RunEventLogPort}, and answers {@code resume} by replaying the
 * log and following it to {@code end}, each frame re-stamped with the resume's {@code requestId}.
 *
 * <p>The frame is encoded once; the log gets the same bytes the socket gets. Without a log (a store-less
 * test setup), nothing is recorded and every resume is {@code resume_unavailable}.
 */
final class RunStreamLog {

    private static final Logger log = LoggerFactory.getLogger(RunStreamLog.class);

    /** Frames of a stream whose run id is not known yet (before its first status); more is a broken provider. */
    private static final int MAX_PENDING = 256;

    static final ErrorDescription UNAVAILABLE_GAP = new ErrorDescription(ProtocolException.RESUME_UNAVAILABLE,
            "Frames after afterSeq are no longer in the run's log; read the run with get_run.", false, "afterSeq");
    static final ErrorDescription UNAVAILABLE_UNKNOWN = new ErrorDescription(ProtocolException.RESUME_UNAVAILABLE,
            "Nothing of this run's stream is in the log (unknown, expired, or already ended at afterSeq); "
                    + "read the run with get_run.", false, "runId");

    /** The log stopped without an end: its producer is gone and no instance took the run over. */
    static final ErrorDescription PRODUCER_GONE = new ErrorDescription(ProtocolException.RESUME_UNAVAILABLE,
            "The instance streaming this run is gone and the rest of its stream cannot be recovered; "
                    + "read the run with get_run.", false, null);

    private final RunEventLogPort eventLog;
    private final FrameCodec codec;
    private final Clock clock;
    private final RunStreamTakeover takeover;

    /** How often one resume may find its log stopped and try a takeover (another instance may win and die). */
    private static final int MAX_TAKEOVERS = 3;

    RunStreamLog(RunEventLogPort eventLog, FrameCodec codec, Clock clock) {
        this(eventLog, codec, clock, null);
    }

    /** @param takeover continues runs whose producer is gone (docs/adr/0025); null: such a resume ends */
    RunStreamLog(RunEventLogPort eventLog, FrameCodec codec, Clock clock, RunStreamTakeover takeover) {
        this.eventLog = eventLog;
        this.codec = codec;
        this.clock = clock;
        this.takeover = takeover;
    }

    /** When a client last resumed the run (on any instance); empty without a log. */
    CompletionStage<Optional<Instant>> lastResumed(String runId) {
        return eventLog == null
                ? CompletableFuture.completedFuture(Optional.empty())
                : eventLog.lastResumed(runId);
    }

    Recorder recorder(RunStreamRelay relay) {
        return new Recorder(relay);
    }

    /** Records the frames of one stream, in order; its seq counts them exactly as the relay numbers them. */
    final class Recorder {
        private final RunStreamRelay relay;
        private final List<Entry> pending = new ArrayList<>();
        private long seq;
        private boolean ended;

        private Recorder(RunStreamRelay relay) {
            this.relay = relay;
        }

        /** The frame's bytes for the socket, logged on the way. */
        synchronized byte[] encode(ServerFrame frame) {
            byte[] bytes = codec.toBytes(frame);
            if (eventLog != null && !ended) {
                record(new Entry(++seq, frame instanceof EndFrame, new String(bytes, StandardCharsets.UTF_8)));
            }
            return bytes;
        }

        private void record(Entry entry) {
            ended = entry.last();
            String runId = relay.runId();
            if (runId == null) {
                if (pending.size() < MAX_PENDING) {
                    pending.add(entry);
                }
                return;
            }
            if (!pending.isEmpty()) {
                pending.forEach(early -> eventLog.append(runId, early));
                pending.clear();
            }
            eventLog.append(runId, entry);
        }

        /**
         * The stream stopped before its end (its socket went away and the run is not followed any more):
         * the log gets {@code error stream_interrupted} and {@code end}, so a resumed client ends too.
         */
        synchronized void interrupted() {
            if (eventLog == null || ended) {
                return;
            }
            // Made here, not by the relay: the relay must still say whether the run may be running.
            ErrorDescription error = RunStreamRelay.INTERRUPTED;
            long errorSeq = seq + 1;
            record(new Entry(++seq, false, new String(codec.toBytes(new ErrorFrame(relay.requestId(),
                    relay.threadId(), relay.runId(), errorSeq, error.code(), error.message(), error.retryable(), null)),
                    StandardCharsets.UTF_8)));
            record(new Entry(++seq, true, new String(codec.toBytes(new EndFrame(relay.requestId(), relay.threadId(),
                    relay.runId(), errorSeq + 1, null, null, error.code())), StandardCharsets.UTF_8)));
        }
    }

    /**
     * The frames of a {@code resume}: every logged frame after {@code afterSeq}, then the live ones, to
     * {@code end}. Fails with {@code resume_unavailable} (before any frame) when the log cannot give frame
     * {@code afterSeq + 1}; ends with {@code error stream_interrupted} and {@code end} if the log stops
     * without an end (it expired, or its producer is gone).
     */
    Flux<byte[]> resume(String requestId, String runId, long afterSeq) {
        if (eventLog == null) {
            return Flux.error(unavailable(UNAVAILABLE_UNKNOWN, requestId));
        }
        eventLog.markResumed(runId, clock.instant());
        var lastSeq = new AtomicLong(afterSeq);
        var ended = new AtomicReference<Boolean>(false);
        var threadId = new AtomicReference<String>();
        return follow(requestId, runId, lastSeq, ended, threadId, MAX_TAKEOVERS)
                // Once frames went out, a failure of the log is the stream's: error and end, like any stream.
                .onErrorResume(failure -> lastSeq.get() > afterSeq && !ended.get()
                        ? interruptedFrames(requestId, threadId.get(), runId, lastSeq.get())
                        : Flux.error(failure));
    }

    /** The log after {@code lastSeq}; where it stops without an end, the run is taken over if it can be. */
    private Flux<byte[]> follow(String requestId, String runId, AtomicLong lastSeq, AtomicReference<Boolean> ended,
            AtomicReference<String> threadId, int takeovers) {
        long from = lastSeq.get();
        return FlowBridge.toFlux(eventLog.read(runId, from))
                .switchOnFirst((first, entries) -> {
                    if (first.hasValue() && first.get().seq() != from + 1) {
                        return Flux.error(unavailable(UNAVAILABLE_GAP, requestId));
                    }
                    if (first.isOnComplete()) {
                        return Flux.error(new NothingLogged());
                    }
                    return entries;
                })
                .map(entry -> {
                    lastSeq.set(entry.seq());
                    ended.set(entry.last());
                    return restamp(entry, requestId, threadId);
                })
                .concatWith(Flux.defer(() -> ended.get()
                        ? Flux.empty()
                        : takenOver(runId, lastSeq.get(), takeovers).flatMapMany(following -> following
                                ? follow(requestId, runId, lastSeq, ended, threadId, takeovers - 1)
                                : interruptedFrames(requestId, threadId.get(), runId, lastSeq.get()))))
                .onErrorResume(NothingLogged.class, nothing -> takenOver(runId, from, takeovers)
                        .flatMapMany(following -> following
                                ? follow(requestId, runId, lastSeq, ended, threadId, takeovers - 1)
                                : Flux.error(unavailable(UNAVAILABLE_UNKNOWN, requestId))));
    }

    private Mono<Boolean> takenOver(String runId, long lastSeq, int takeovers) {
        return takeover == null || takeovers <= 0 ? Mono.just(false) : takeover.attempt(runId, lastSeq);
    }

    /** The log held nothing after the client's seq: unknown, ended, or its producer died right then. */
    private static final class NothingLogged extends RuntimeException {
        NothingLogged() {
            super(null, null, false, false);
        }
    }

    private byte[] restamp(Entry entry, String requestId, AtomicReference<String> threadId) {
        ObjectNode frame = (ObjectNode) codec.mapper().readTree(entry.frame());
        frame.put("requestId", requestId);
        // The logged seq is the frame's own; say it again so a frame logged after a cut cannot disagree.
        frame.put("seq", entry.seq());
        if (frame.hasNonNull("threadId")) {
            threadId.set(frame.get("threadId").asString());
        }
        return codec.mapper().writeValueAsBytes(frame);
    }

    private Flux<byte[]> interruptedFrames(String requestId, String threadId, String runId, long lastSeq) {
        log.debug("Resumed log of run {} stopped after seq {} without an end", runId, lastSeq);
        ErrorDescription error = PRODUCER_GONE;
        return Flux.just(
                codec.toBytes(new ErrorFrame(requestId, threadId, runId, lastSeq + 1, error.code(), error.message(),
                        error.retryable(), null)),
                codec.toBytes(new EndFrame(requestId, threadId, runId, lastSeq + 2, null, null, error.code())));
    }

    private static ProtocolException unavailable(ErrorDescription error, String requestId) {
        return new ProtocolException(error.code(), error.message(), error.retryable(), error.field(), requestId);
    }
}
