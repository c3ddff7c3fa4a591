package dev.runrelay.adapter.memory;

import dev.runrelay.domain.port.RunEventLogPort;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import dev.runrelay.bridge.FlowBridge;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * The run event log of one instance ({@code runrelay.store=memory}): a ring of at most {@code maxLength}
 * frames per run, for at most {@code maxRuns} runs and {@code maxFrames} frames in all, each log forgotten
 * {@code retention} after its last frame; beyond a bound the least recently written logs go first.
 * Expired logs are dropped on append (amortized), so the memory is bounded without a timer of ours.
 */
public final class InMemoryRunEventLogAdapter implements RunEventLogPort {

    private static final int SWEEP_EVERY = 4096;

    private final ConcurrentMap<String, RunLog> logs = new ConcurrentHashMap<>();
    private final Duration retention;
    private final int maxLength;
    private final int maxRuns;
    private final long maxFrames;
    private final Clock clock;
    private final AtomicInteger appendsSinceSweep = new AtomicInteger();
    private final AtomicLong frames = new AtomicLong();

    public InMemoryRunEventLogAdapter(Duration retention, int maxLength, int maxRuns, long maxFrames, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("runrelay.store.log.retention must be positive");
        }
        if (maxLength < 1 || maxRuns < 1 || maxFrames < 1) {
            throw new IllegalArgumentException(
                    "runrelay.run-log.max-length, max-runs and memory-max-frames must be at least 1");
        }
        this.retention = retention;
        this.maxLength = maxLength;
        this.maxRuns = maxRuns;
        this.maxFrames = maxFrames;
        this.clock = clock;
    }

    @Override
    public void append(String runId, Entry entry) {
        if (appendsSinceSweep.incrementAndGet() >= SWEEP_EVERY || frames.get() >= maxFrames
                || (logs.size() >= maxRuns && !logs.containsKey(runId))) {
            appendsSinceSweep.set(0);
            sweep();
        }
        frames.addAndGet(logs.computeIfAbsent(runId, id -> new RunLog()).append(entry, maxLength, clock.millis()));
    }

    @Override
    public Flow.Publisher<Entry> read(String runId, long afterSeq) {
        RunLog log = logs.get(runId);
        if (log == null || log.expired(clock.millis() - retention.toMillis())) {
            return FlowBridge.toFlow(Flux.empty());
        }
        return FlowBridge.toFlow(
                Flux.<Entry>create(sink -> log.follow(sink, afterSeq)).takeUntil(Entry::last));
    }

    @Override
    public void markResumed(String runId, Instant at) {
        RunLog log = logs.get(runId);
        if (log != null) {
            log.lastResumed = at;
        }
    }

    @Override
    public CompletionStage<Optional<Instant>> lastResumed(String runId) {
        RunLog log = logs.get(runId);
        return CompletableFuture.completedFuture(Optional.ofNullable(log == null ? null : log.lastResumed));
    }

    /** Logs held now. */
    public int runs() {
        return logs.size();
    }

    /** Frames held now. */
    public long frames() {
        return frames.get();
    }

    private synchronized void sweep() {
        long expiredBefore = clock.millis() - retention.toMillis();
        logs.entrySet().removeIf(e -> e.getValue().expired(expiredBefore) && forget(e.getValue()));
        if (logs.size() < maxRuns && frames.get() < maxFrames) {
            return;
        }
        // Over a bound: drop the least recently written logs down to 90 % of it, so this runs rarely.
        long framesTarget = maxFrames - maxFrames / 10;
        int runsTarget = Math.max(0, maxRuns - 1 - maxRuns / 10);
        for (var e : logs.entrySet().stream()
                .sorted(Comparator.comparingLong(e -> e.getValue().lastAppendMillis)).toList()) {
            if (logs.size() <= runsTarget && frames.get() <= framesTarget) {
                break;
            }
            if (logs.remove(e.getKey(), e.getValue())) {
                forget(e.getValue());
            }
        }
    }

    private boolean forget(RunLog log) {
        frames.addAndGet(-log.size());
        return true;
    }

    /** One run's ring and its live readers; every access under its own lock. */
    private static final class RunLog {
        private final ArrayDeque<Entry> ring = new ArrayDeque<>();
        private final List<FluxSink<Entry>> readers = new ArrayList<>();
        private volatile long lastAppendMillis;
        private volatile Instant lastResumed;

        /** Appends; the change in the number of frames held. */
        synchronized int append(Entry entry, int maxLength, long now) {
            int before = ring.size();
            if (entry.seq() == 1) {
                ring.clear();
            }
            if (!ring.isEmpty() && ring.peekLast().seq() >= entry.seq()) {
                return ring.size() - before;
            }
            ring.addLast(entry);
            while (ring.size() > maxLength) {
                ring.pollFirst();
            }
            lastAppendMillis = now;
            if (readers.isEmpty()) {
                return ring.size() - before; // the usual case: nobody resumed the run
            }
            // A copy: a reader that cancels on this very frame removes itself from the list.
            List<FluxSink<Entry>> current = List.copyOf(readers);
            if (entry.last()) {
                readers.clear();
            }
            for (FluxSink<Entry> reader : current) {
                reader.next(entry);
                if (entry.last()) {
                    reader.complete();
                }
            }
            return ring.size() - before;
        }

        synchronized int size() {
            return ring.size();
        }

        synchronized void follow(FluxSink<Entry> sink, long afterSeq) {
            boolean ended = false;
            for (Entry entry : ring) {
                if (entry.seq() > afterSeq) {
                    sink.next(entry);
                }
                ended = entry.last();
            }
            if (ended) {
                sink.complete();
                return;
            }
            readers.add(sink);
            sink.onDispose(() -> {
                synchronized (this) {
                    readers.remove(sink);
                }
            });
        }

        boolean expired(long before) {
            return lastAppendMillis < before;
        }
    }
}
