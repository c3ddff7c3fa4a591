package dev.runrelay.domain.run;

import dev.runrelay.domain.shared.Check;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The gateway's own record of one run, for providers whose API has no run object (OpenAI Responses):
 * which provider responses make up the run, where it stands, and what the client set on it.
 *
 * <p>Records are immutable and versioned: a store replaces one only if it still holds the version the
 * writer read ({@link dev.runrelay.domain.port.RunLedgerPort#replace}), so several gateway instances can
 * share one store without losing each other's writes.
 *
 * @param responseIds the provider's ids of the responses of this run, oldest first
 * @param pendingToolCalls the function calls waiting for the client's outputs (empty unless requires_action)
 * @param expiresAt when a run waiting for tool outputs expires, or null when it does not wait
 * @param version incremented by the store on every successful replace; 0 for a new record
 */
public record RunRecord(
        String runId,
        String threadId,
        String assistantId,
        String model,
        RunStatus status,
        List<String> responseIds,
        List<RequiredToolCall> pendingToolCalls,
        Map<String, String> metadata,
        Instant createdAt,
        Instant expiresAt,
        long version) {

    public RunRecord {
        Check.id("runId", runId);
        Check.id("threadId", threadId);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(createdAt, "createdAt");
        responseIds = responseIds == null ? List.of() : List.copyOf(responseIds);
        pendingToolCalls = pendingToolCalls == null ? List.of() : List.copyOf(pendingToolCalls);
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** A new run with no response yet. */
    public static RunRecord started(
            String runId, String threadId, String assistantId, String model, Map<String, String> metadata, Instant now) {
        return new RunRecord(
                runId, threadId, assistantId, model, RunStatus.QUEUED, List.of(), List.of(), metadata, now, null, 0);
    }

    /** The id of the newest response of the run, or null before the first one was created. */
    public String lastResponseId() {
        return responseIds.isEmpty() ? null : responseIds.getLast();
    }

    public RunRecord withResponse(String responseId) {
        if (responseIds.contains(responseId)) {
            return this;
        }
        var ids = new ArrayList<>(responseIds);
        ids.add(responseId);
        return new RunRecord(
                runId, threadId, assistantId, model, status, ids, pendingToolCalls, metadata, createdAt, expiresAt,
                version);
    }

    public RunRecord withStatus(RunStatus newStatus) {
        return new RunRecord(
                runId, threadId, assistantId, model, newStatus, responseIds,
                newStatus == RunStatus.REQUIRES_ACTION ? pendingToolCalls : List.of(), metadata, createdAt,
                newStatus == RunStatus.REQUIRES_ACTION ? expiresAt : null, version);
    }

    /** The run now waits for the outputs of {@code calls} until {@code until}. */
    public RunRecord awaitingToolOutputs(List<RequiredToolCall> calls, Instant until) {
        return new RunRecord(
                runId, threadId, assistantId, model, RunStatus.REQUIRES_ACTION, responseIds, calls, metadata,
                createdAt, until, version);
    }

    public RunRecord withMetadata(Map<String, String> newMetadata) {
        return new RunRecord(
                runId, threadId, assistantId, model, status, responseIds, pendingToolCalls, newMetadata, createdAt,
                expiresAt, version);
    }

    /** The same record at {@code newVersion}; only stores call this. */
    public RunRecord withVersion(long newVersion) {
        return new RunRecord(
                runId, threadId, assistantId, model, status, responseIds, pendingToolCalls, metadata, createdAt,
                expiresAt, newVersion);
    }
}
