package dev.runrelay.adapter.openai.responses;

import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The embedded {@link RunLedgerPort}: one map in this JVM. Correct for a single gateway instance; many
 * instances behind a load balancer need a shared implementation of the same port.
 */
public final class InMemoryRunLedgerAdapter implements RunLedgerPort {

    private final ConcurrentMap<String, RunRecord> records = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Boolean> insert(RunRecord record) {
        return CompletableFuture.completedFuture(records.putIfAbsent(record.runId(), record.withVersion(0)) == null);
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
                .sorted(page.order() == SortOrder.ASC ? byAge : byAge.reversed())
                .toList();
        return CompletableFuture.completedFuture(Pages.page(thread, RunRecord::runId, page));
    }
}
