package dev.runrelay.domain.run;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.error.RunRelayException;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of a run's life, once, for every provider that keeps runs itself (the sandbox, the Responses
 * provider's ledger): which status may follow which, one active run per thread, tool outputs answer
 * exactly the pending calls, a run waiting for them expires, and only a waiting run can be claimed for
 * them. Pure functions: the adapters keep the mechanics (a script, a ledger, a response stream) and ask
 * here what is allowed.
 */
public final class RunLifecycle {

    private static final Map<RunStatus, Set<RunStatus>> NEXT = Map.of(
            RunStatus.QUEUED, EnumSet.of(RunStatus.IN_PROGRESS, RunStatus.REQUIRES_ACTION, RunStatus.CANCELLING,
                    RunStatus.CANCELLED, RunStatus.FAILED, RunStatus.COMPLETED, RunStatus.INCOMPLETE, RunStatus.EXPIRED),
            RunStatus.IN_PROGRESS, EnumSet.of(RunStatus.REQUIRES_ACTION, RunStatus.CANCELLING, RunStatus.CANCELLED,
                    RunStatus.FAILED, RunStatus.COMPLETED, RunStatus.INCOMPLETE, RunStatus.EXPIRED),
            // Outputs accepted: the run is queued again (claimed) and goes on.
            RunStatus.REQUIRES_ACTION, EnumSet.of(RunStatus.QUEUED, RunStatus.IN_PROGRESS, RunStatus.CANCELLING,
                    RunStatus.CANCELLED, RunStatus.EXPIRED, RunStatus.FAILED),
            RunStatus.CANCELLING, EnumSet.of(RunStatus.CANCELLED, RunStatus.FAILED, RunStatus.COMPLETED,
                    RunStatus.INCOMPLETE, RunStatus.EXPIRED));

    private RunLifecycle() {}

    /** Whether a run may go from {@code from} to {@code to}; a terminal status is never left. */
    public static boolean canMove(RunStatus from, RunStatus to) {
        return from == to || NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /** Whether the run holds its thread: any status that is not terminal. */
    public static boolean isActive(RunStatus status) {
        return !status.isTerminal();
    }

    /** One active run per thread: {@code conflict} while {@code runId} (in {@code status}) holds it. */
    public static void ensureNoActiveRun(String threadId, String runId, RunStatus status) {
        if (isActive(status)) {
            throw new RunRelayException(ErrorCode.CONFLICT, "Thread " + threadId + " already has an active run "
                    + runId + " (" + status.wireValue() + "); wait for it to end or cancel it.");
        }
    }

    /** A run waiting for tool outputs past its expiry is expired (the API's {@code expires_at}). */
    public static boolean isOverdue(RunStatus status, Instant expiresAt, Instant now) {
        return status == RunStatus.REQUIRES_ACTION && expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * Claim before submit: only a run in {@code requires_action} takes outputs, and they must answer
     * exactly its pending calls, each once.
     */
    public static void ensureAcceptsToolOutputs(String runId, RunStatus status, Collection<String> pendingCallIds,
            Collection<String> answeredCallIds) {
        if (status != RunStatus.REQUIRES_ACTION) {
            throw new RunRelayException(ErrorCode.CONFLICT, "Run " + runId + " does not wait for tool outputs (status "
                    + status.wireValue() + ").");
        }
        var pending = new TreeSet<>(pendingCallIds);
        var answered = new TreeSet<String>();
        for (String id : answeredCallIds) {
            if (!answered.add(id)) {
                throw new InvalidRequestException("toolOutputs", "tool call " + id + " is answered more than once");
            }
            if (!pending.contains(id)) {
                throw new InvalidRequestException("toolOutputs", "run " + runId + " does not wait for tool call " + id);
            }
        }
        pending.removeAll(answered);
        if (!pending.isEmpty()) {
            throw new InvalidRequestException("toolOutputs", "every required tool call needs an output; missing "
                    + String.join(", ", pending));
        }
    }

    /** A terminal run cannot be cancelled ({@code conflict}); a cancelling one already is. */
    public static void ensureCancellable(String runId, RunStatus status) {
        if (status.isTerminal()) {
            throw new RunRelayException(ErrorCode.CONFLICT,
                    "Cannot cancel run " + runId + ": it is already " + status.wireValue() + ".");
        }
    }
}
