package dev.runrelay.domain.port;

import dev.runrelay.domain.owner.AuditEntry;

/** Where the audit trail goes (a log line per entry in the embedded default). Must not block or throw. */
public interface AuditPort {

    void record(AuditEntry entry);
}
