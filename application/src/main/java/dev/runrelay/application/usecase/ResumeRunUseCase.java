package dev.runrelay.application.usecase;

import java.util.concurrent.CompletionStage;

/**
 * May the caller resume run {@code runId} (replay its event log, then follow it live)? The log itself is
 * an adapter's (RunStreamLog); who may read it is the core's rule, asked before anything is replayed.
 */
public interface ResumeRunUseCase {

    /**
     * Completes normally when the caller may resume the run; fails with {@code not_found} otherwise,
     * exactly as for a run that does not exist.
     */
    CompletionStage<Void> mayResume(String runId);
}
