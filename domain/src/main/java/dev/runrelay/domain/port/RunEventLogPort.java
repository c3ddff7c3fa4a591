package dev.runrelay.domain.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The log of a run's stream: every frame the gateway sent for the run, in {@code seq} order, kept for a
 * while so a client that lost its connection can resume on any instance (docs/protocol.md, "Resuming a
 * stream"). The frame is opaque to the core: the transport writes it and reads it back.
 *
 * <p>Retention belongs to the store (a time to live and a maximum length per run); the log never grows
 * without bound and nothing here sweeps it.
 */
public interface RunEventLogPort {

    /**
     * One logged frame.
     *
     * @param seq the frame's number in its stream, from 1
     * @param last whether this frame ends the stream (nothing follows it)
     * @param frame the frame as the transport encoded it
     */
    record Entry(long seq, boolean last, String frame) {}

    /**
     * Appends one frame of the run's stream. Returns at once: the store batches or pipelines the write and
     * reports its own failures, so a slow store never stalls a live stream. {@code seq} 1 starts the run's
     * log afresh (a later stream of the same run, after {@code submit_tool_outputs}, replaces the earlier).
     */
    void append(String runId, Entry entry);

    /**
     * Every logged frame of the run with {@code seq > afterSeq}, oldest first, then each frame as it is
     * appended (by any instance), completing after the frame marked {@link Entry#last()}. Completes empty
     * when the store holds nothing of the run, or when the stream already ended at or before
     * {@code afterSeq}. The first entry's seq tells the caller whether frames were already trimmed away.
     */
    Flow.Publisher<Entry> read(String runId, long afterSeq);

    /** Notes that a client resumed the run's stream now; every instance sees it while the log is kept. */
    void markResumed(String runId, Instant at);

    /** When a client last resumed the run's stream, if one did while the log was kept. */
    CompletionStage<Optional<Instant>> lastResumed(String runId);

    /**
     * Every frame of the run's log now, oldest first, without waiting for more (empty when nothing is
     * kept). A store shared by several instances answers it; a store of one instance answers empty, as
     * there is no other instance to take a run over.
     */
    default CompletionStage<List<Entry>> snapshot(String runId) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * Claims the production of the run's stream for this instance, if no instance holds it (its
     * producer's lease lapsed): true when this instance now holds the lease and must write the rest of
     * the log. Only a store shared by several instances can grant it.
     */
    default CompletionStage<Boolean> claimProducer(String runId) {
        return CompletableFuture.completedFuture(false);
    }
}
