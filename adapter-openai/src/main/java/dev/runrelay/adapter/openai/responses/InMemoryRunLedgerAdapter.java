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
import java.util.Set;
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
 * reads stay a map lookup. A thread's runs are indexed by thread id: every new run lists its thread's runs
 * first (to refuse a second active run), and a scan of every record made that cost grow with the runs held.
 */
public final class InMemoryRunLedgerAdapter implements RunLedgerPort {

    /** The defaults of {@code runrelay.store.memory.*}. */
    public static final int DEFAULT_MAX_RUNS = 100_000;
    public static final Duration DEFAULT_FINISHED_RETENTION = Duration.ofHours(24);
    private static final int SWEEP_EVERY = 1024;

    private final ConcurrentMap<String, RunRecord> records = new ConcurrentHashMap<>();
    /** Run ids by thread id; may briefly name a run not (or no longer) in {@link #records}, which reads skip. */
    private final ConcurrentMap<String, Set<String>> runIdsByThread = new ConcurrentHashMap<>();
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
        // Indexed first, so a run in the map is always found by its thread.
        index(record.threadId(), record.runId());
        boolean inserted = records.putIfAbsent(record.runId(), record.withVersion(0)) == null;
        if (!inserted) {
            unindexUnlessStored(record.threadId(), record.runId());
        }
        return CompletableFuture.completedFuture(inserted);
    }

    private void forget(RunRecord run) {
        if (records.remove(run.runId(), run)) {
            unindexUnlessStored(run.threadId(), run.runId());
        }
    }

    /** Index changes happen inside the map's lock of the thread's entry, so no add lands in a dropped set. */
    private void index(String threadId, String runId) {
        runIdsByThread.compute(threadId, (thread, runIds) -> {
            Set<String> ids = runIds == null ? ConcurrentHashMap.newKeySet() : runIds;
            ids.add(runId);
            return ids;
        });
    }

    /** Drops the index entry unless the stored run with that id is (still) in that thread. */
    private void unindexUnlessStored(String threadId, String runId) {
        runIdsByThread.computeIfPresent(threadId, (thread, runIds) -> {
            RunRecord stored = records.get(runId);
            if (stored == null || !stored.threadId().equals(thread)) {
                runIds.remove(runId);
            }
            return runIds.isEmpty() ? null : runIds;
        });
    }

    /** The number of runs held now. */
    public int size() {
        return records.size();
    }

    /** Forgets finished runs past their retention, then the oldest runs while more than maxRuns - 1 are held. */
    private synchronized void evict() {
        Instant forgetBefore = clock.instant().minus(finishedRetention);
        records.values().stream()
                .filter(run -> run.status().isTerminal() && run.createdAt().isBefore(forgetBefore))
                .toList()
                .forEach(this::forget);
        int excess = records.size() - (maxRuns - 1);
        if (excess <= 0) {
            return;
        }
        Comparator<RunRecord> finishedFirstThenOldest = Comparator
                .comparing((RunRecord run) -> !run.status().isTerminal())
                .thenComparing(RunRecord::createdAt);
        records.values().stream().sorted(finishedFirstThenOldest).limit(excess).toList()
                .forEach(this::forget);
    }

    @Override
    public CompletionStage<Optional<RunRecord>> find(String runId) {
        return CompletableFuture.completedFuture(Optional.ofNullable(records.get(runId)));
    }

    @Override
    public CompletionStage<Optional<RunRecord>> replace(RunRecord updated, long expectedVersion) {
        var replaced = new AtomicReference<RunRecord>();
        var previousThread = new AtomicReference<String>();
        // Indexed under its (possibly new) thread first, so the stored run is always found by its thread.
        index(updated.threadId(), updated.runId());
        records.computeIfPresent(updated.runId(), (id, current) -> {
            if (current.version() != expectedVersion) {
                return current;
            }
            RunRecord next = updated.withVersion(expectedVersion + 1);
            replaced.set(next);
            previousThread.set(current.threadId());
            return next;
        });
        if (replaced.get() == null) {
            unindexUnlessStored(updated.threadId(), updated.runId());
        } else if (!previousThread.get().equals(updated.threadId())) {
            unindexUnlessStored(previousThread.get(), updated.runId());
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(replaced.get()));
    }

    @Override
    public CompletionStage<Page<RunRecord>> listByThread(String threadId, PageRequest page) {
        Comparator<RunRecord> byAge = Comparator.comparing(RunRecord::createdAt).thenComparing(RunRecord::runId);
        Set<String> runIds = runIdsByThread.getOrDefault(threadId, Set.of());
        List<RunRecord> thread = runIds.stream()
                .map(records::get)
                .filter(record -> record != null && record.threadId().equals(threadId))
                .sorted(byAge)
                .toList();
        return CompletableFuture.completedFuture(Pages.of(thread, RunRecord::runId, page));
    }
}
