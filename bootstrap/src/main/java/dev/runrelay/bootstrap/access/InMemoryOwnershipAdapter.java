package dev.runrelay.bootstrap.access;

import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.port.OwnershipPort;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The embedded ownership record: one gateway instance, forgotten on restart. Bounded: beyond
 * {@code capacity} records per kind the least recently used is forgotten, and its thread or run counts as
 * unrecorded (refused in {@code jwt} mode unless {@code runrelay.auth.allow-unrecorded-threads}), never as
 * someone else's. A shared store (Redis) implements the same port for several instances.
 */
public final class InMemoryOwnershipAdapter implements OwnershipPort {

    private final Map<String, Owner> threads;
    private final Map<String, Owner> runs;

    public InMemoryOwnershipAdapter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.threads = lru(capacity);
        this.runs = lru(capacity);
    }

    @Override
    public CompletionStage<Owner> claimThread(String threadId, Owner owner) {
        return CompletableFuture.completedFuture(claim(threads, threadId, owner));
    }

    @Override
    public CompletionStage<Optional<Owner>> threadOwner(String threadId) {
        return CompletableFuture.completedFuture(find(threads, threadId));
    }

    @Override
    public CompletionStage<Owner> claimRun(String runId, Owner owner) {
        return CompletableFuture.completedFuture(claim(runs, runId, owner));
    }

    @Override
    public CompletionStage<Optional<Owner>> runOwner(String runId) {
        return CompletableFuture.completedFuture(find(runs, runId));
    }

    private static Owner claim(Map<String, Owner> records, String id, Owner owner) {
        synchronized (records) {
            Owner existing = records.putIfAbsent(id, owner);
            return existing == null ? owner : existing;
        }
    }

    private static Optional<Owner> find(Map<String, Owner> records, String id) {
        synchronized (records) {
            return Optional.ofNullable(records.get(id));
        }
    }

    private static Map<String, Owner> lru(int capacity) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Owner> eldest) {
                return size() > capacity;
            }
        };
    }
}
