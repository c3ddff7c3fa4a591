package dev.runrelay.domain.owner;

import java.util.Objects;

/**
 * One line of the audit trail: who did what to which run. Never any message content, so the trail can
 * be kept longer and shown to more people than the conversations themselves.
 *
 * @param action what happened
 * @param principal the caller
 * @param threadId the thread concerned
 * @param runId the run concerned; null when the refusal concerned a whole thread
 */
public record AuditEntry(Action action, Owner principal, String threadId, String runId) {

    public enum Action {
        /** A run was started (or a thread and its first run). */
        RUN_STARTED("run_started"),
        /** A run was cancelled by its owner. */
        RUN_CANCELLED("run_cancelled"),
        /** A caller named a thread or run of another principal (or one the gateway does not know) and got not_found. */
        REFUSED_NOT_OWNER("refused_not_owner");

        private final String code;

        Action(String code) {
            this.code = code;
        }

        /** The stable name written in the log line. */
        public String code() {
            return code;
        }
    }

    public AuditEntry {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(principal, "principal");
    }
}
