package dev.runrelay.domain.port;

import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The gateway's record of runs, for providers that keep none the gateway can list or annotate (OpenAI
 * Responses has responses, not runs). Non-blocking, and shaped for a shared store behind many gateway
 * instances: writes are create-if-absent and compare-and-set on {@link RunRecord#version()}, never
 * blind overwrites. The in-memory implementation is the embedded default.
 */
public interface RunLedgerPort {

    /** Stores a new record; completes with false (storing nothing) when its run id is already taken. */
    CompletionStage<Boolean> insert(RunRecord record);

    CompletionStage<Optional<RunRecord>> find(String runId);

    /**
     * Replaces the stored record of {@code updated.runId()} if its version is still {@code expectedVersion}.
     * Completes with the stored record (version incremented) or empty when another writer came first:
     * the caller reads again and decides.
     */
    CompletionStage<Optional<RunRecord>> replace(RunRecord updated, long expectedVersion);

    /** The runs of a thread, by creation time in {@code page.order()}, paged by run id cursors. */
    CompletionStage<Page<RunRecord>> listByThread(String threadId, PageRequest page);
}
