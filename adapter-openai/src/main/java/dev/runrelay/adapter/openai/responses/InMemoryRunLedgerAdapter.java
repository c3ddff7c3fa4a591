package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.Pages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded {@link RunLedgerPort} ({@code runrelay.store=memory}): one map in this JVM. Correct for a
 * single gateway instance; several instances share {@code runrelay.store=redis} instead.
 *
 * <p>Bounded: a finished run (terminal status) is forgotten {@code finishedRetention} after it was created,
 * and beyond {@code maxRuns} records the oldest finished ones go first, then the oldest of all. The bound
 * is enforced on insert (amortized: a sweep at most every {@link #SWEEP_EVERY} inserts or when full), so
 * reads stay a map lookup.
 */
public final class InMemoryRunLedgerAdapter implements RunLedgerPort {

    /** The defaults of {@code runrelay.store.memory.*}. */
    public static final int DEFAULT_MAX_RUNS = 100_000;
    public static final Duration DEFAULT_FINISHED_RETENTION = Duration.ofHours(24);
    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentMap<String, RunRecord> records = new ConcurrentHashMap<>();
    private final int maxRuns;
    private final Duration finishedRetention;
    private final Clock clock;
    private final AtomicInteger insertsSinceSweep = new AtomicInteger();

    /** The defaults: {@value #DEFAULT_MAX_RUNS} runs, finished runs kept 24 hours. */
    public InMemoryRunLedgerAdapter() {
        this(DEFAULT_MAX_RUNS, DEFAULT_FINISHED_RETENTION, Clock.systemUTC());
    }

    public InMemoryRunLedgerAdapter(int maxRuns, Duration finishedRetention, Clock clock) {
        if (maxRuns < 1) {
            throw new IllegalArgumentException("runrelay.store.memory.max-runs must be at least 1");
        }
        if (finishedRetention == null || finishedRetention.isNegative() || finishedRetention.isZero()) {
            throw new IllegalArgumentException("runrelay.store.memory.finished-retention must be positive");
        }
        this.maxRuns = maxRuns;
        this.finishedRetention = finishedRetention;
        this.clock = clock;
    }

    @Override
    public CompletionStage<Boolean> insert(RunRecord record) {
        if (insertsSinceSweep.incrementAndGet() >= SWEEP_EVERY || records.size() >= maxRuns) {
            insertsSinceSweep.set(0);
            evict();
        }
        return CompletableFuture.completedFuture(records.putIfAbsent(record.runId(), record.withVersion(0)) == null);
    }

    /** The number of runs held now. */
    public int size() {
        return records.size();
    }

    /** Forgets finished runs past their retention, then the oldest runs while more than maxRuns - 1 are held. */
    private synchronized void evict() {
        Instant forgetBefore = clock.instant().minus(finishedRetention);
        records.values().removeIf(run -> run.status().isTerminal() && run.createdAt().isBefore(forgetBefore));
        int excess = records.size() - (maxRuns - 1);
        if (excess <= 0) {
            return;
        }
        Comparator<RunRecord> finishedFirstThenOldest = Comparator
                .comparing((RunRecord run) -> !run.status().isTerminal())
                .thenComparing(RunRecord::createdAt);
        records.values().stream().sorted(finishedFirstThenOldest).limit(excess).toList()
                .forEach(run -> records.remove(run.runId(), run));
    }

    @Override
    public CompletionStage<Optional<RunRecord>> find(String runId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(records.get(runId)));
    }

    @Override
    public CompletionStage<Optional<RunRecord>> replace(RunRecord updated, long expectedVersion) {
        var replaced = new AtomicReference<RunRecord>();
        records.computeIfPresent(updated.runId(), (id, current) -> {
            if (current.version() != expectedVersion) {
                return current;
            }
            RunRecord next = updated.withVersion(expectedVersion + 1);
            replaced.set(next);
            return next;
        });
        return CompletableFuture.completedFuture(Optional.ofNullable(replaced.get()));
    }

    @Override
    public CompletionStage<Page<RunRecord>> listByThread(String threadId, PageRequest page) {
        Comparator<RunRecord> byAge = Comparator.comparing(RunRecord::createdAt).thenComparing(RunRecord::runId);
        List<RunRecord> thread = records.values().stream()
                .filter(record -> record.threadId().equals(threadId))
                .sorted(byAge)
                .toList();
        return CompletableFuture.completedFuture(Pages.of(thread, RunRecord::runId, page));
    }
}
