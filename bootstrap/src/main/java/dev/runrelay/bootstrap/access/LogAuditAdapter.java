package dev.runrelay.bootstrap.access;

import dev.runrelay.domain.owner.AuditEntry;
import dev.runrelay.domain.port.AuditPort;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail as log lines of the logger {@code runrelay.audit} (route it to its own appender to keep it
 * apart), e.g. {@code audit action=run_started principal=alice thread=thread_x run=run_y}. Ids and the
 * principal only, never message content; control characters in a principal name are replaced, so a crafted
 * token subject cannot forge a line.
 */
final class LogAuditAdapter implements AuditPort {

    private static final Logger audit = LoggerFactory.getLogger("runrelay.audit");

    @Override
    public void record(AuditEntry entry) {
        audit.info("audit action={} principal={} thread={} run={}", entry.action().code(),
                printable(entry.principal().name()), printable(entry.threadId()), printable(entry.runId()));
    }

    private static String printable(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) || Character.isWhitespace(c) ? '?' : c));
        return out.toString();
    }
}
