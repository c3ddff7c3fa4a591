package dev.runrelay.adapter.websocket;

import dev.runrelay.adapter.websocket.ServerFrame.EndFrame;
import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.bridge.FlowBridge;
import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunEventLogPort.Entry;
import java.util.List;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/**
 * The WebSocket side of taking a run over (docs/adr/0025). When a resumed client's log stops without an
 * end because its producer's lease lapsed, this instance asks the core to claim the run; the winner
 * reads the provider's events, keeps those the log has not delivered ({@link DeliveredFrames}), turns
 * them into frames exactly as a live stream does ({@link RunStreamRelay}), numbered on from the log's last
 * seq, and appends them to the log. Every resumed client, on any instance, just follows the log again.
 */
final class RunStreamTakeover {

    private static final Logger log = LoggerFactory.getLogger(RunStreamTakeover.class);

    private final RunEventLogPort eventLog;
    private final TakeOverRunUseCase takeover;
    private final FrameCodec codec;
    private final RunsErrorResolver errors = new RunsErrorResolver();
    private final int bufferSize;

    RunStreamTakeover(RunEventLogPort eventLog, TakeOverRunUseCase takeover, FrameCodec codec, int bufferSize) {
        this.eventLog = eventLog;
        this.takeover = takeover;
        this.codec = codec;
        this.bufferSize = bufferSize;
    }

    /**
     * After a resumed client's log stopped at {@code lastSeq} without an end: true when following the
     * log again is worth it (more frames came, this instance took the run over, or another one did);
     * false when nobody can continue the run.
     */
    Mono<Boolean> attempt(String runId, long lastSeq) {
        if (takeover == null || !takeover.available() || eventLog == null) {
            return Mono.just(false);
        }
        return Mono.fromCompletionStage(() -> eventLog.snapshot(runId))
                .flatMap(entries -> decide(runId, lastSeq, entries))
                .onErrorResume(failure -> {
                    log.warn("Taking run {} over failed: {}", runId, failure.toString());
                    return Mono.just(false);
                });
    }

    private Mono<Boolean> decide(String runId, long lastSeq, List<Entry> entries) {
        if (entries.isEmpty()) {
            return Mono.just(false);
        }
        Entry newest = entries.getLast();
        if (newest.seq() > lastSeq) {
            return Mono.just(true); // written after the client's read stopped: follow it
        }
        if (newest.last() || newest.seq() < lastSeq || entries.getFirst().seq() != 1) {
            // Ended, or the client is ahead of the log, or the log was trimmed: what was delivered is unknown.
            return Mono.just(false);
        }
        DeliveredFrames delivered = DeliveredFrames.of(entries, codec.mapper());
        return Mono.fromCompletionStage(() -> takeover.claim(delivered.threadId(), runId))
                .map(claimed -> {
                    claimed.ifPresent(events -> produce(runId, delivered, events));
                    // Without the claim another instance holds the run: its frames come through the log.
                    return true;
                });
    }

    private void produce(String runId, DeliveredFrames delivered, Flow.Publisher<RunEvent> events) {
        log.info("Taking run {} over after seq {}", runId, delivered.lastSeq());
        var relay = new RunStreamRelay(delivered.requestId(), delivered.threadId(), runId);
        long base = delivered.lastSeq();
        Flux<RunEvent> continued = FlowBridge.toFlux(events).doOnError(failure ->
                log.warn("Reading taken-over run {} from the provider failed", runId, failure));
        relay.frames(delivered.missing(continued), bufferSize, errors::resolve)
                .subscribe(frame -> {
                    ObjectNode json = (ObjectNode) codec.mapper().readTree(codec.toBytes(frame));
                    long seq = base + json.path("seq").asLong();
                    json.put("seq", seq);
                    eventLog.append(runId, new Entry(seq, frame instanceof EndFrame,
                            codec.mapper().writeValueAsString(json)));
                }, failure -> log.warn("Taken-over run {} failed: {}", runId, failure.toString()));
    }
}
