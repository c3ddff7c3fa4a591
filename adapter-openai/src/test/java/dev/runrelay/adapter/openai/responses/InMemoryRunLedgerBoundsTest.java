package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import dev.runrelay.domain.shared.PageRequest;
import org.junit.jupiter.api.Test;

class InMemoryRunLedgerBoundsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static RunRecord run(String id, Instant createdAt) {
        return RunRecord.started(id, "thread_1", "asst_1", "gpt-4o", Map.of(), createdAt);
    }

    @Test
    void beyondMaxRuns_theOldestFinishedRunsAreForgottenFirst() {
        var ledger = new InMemoryRunLedgerAdapter(3, Duration.ofDays(1), Clock.fixed(T0, ZoneOffset.UTC));
        ledger.insert(run("run_running", T0.minusSeconds(30)));
        ledger.insert(run("run_done", T0.minusSeconds(20)).withStatus(RunStatus.COMPLETED));
        ledger.insert(run("run_b", T0.minusSeconds(10)));
        ledger.insert(run("run_c", T0));

        assertThat(ledger.size()).isEqualTo(3);
        assertThat(ledger.find("run_done").toCompletableFuture().join()).isEmpty();
        assertThat(ledger.find("run_running").toCompletableFuture().join()).isPresent();
        assertThat(ledger.find("run_c").toCompletableFuture().join()).isPresent();
    }

    @Test
    void finishedRuns_areForgottenAfterTheRetention_runningOnesStay() {
        var ledger = new InMemoryRunLedgerAdapter(2, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC));
        ledger.insert(run("run_old_done", T0.minus(Duration.ofHours(2))).withStatus(RunStatus.FAILED));
        ledger.insert(run("run_old_running", T0.minus(Duration.ofHours(2))));
        ledger.insert(run("run_new", T0));

        assertThat(ledger.find("run_old_done").toCompletableFuture().join()).isEmpty();
        assertThat(ledger.find("run_old_running").toCompletableFuture().join()).isPresent();
        assertThat(ledger.find("run_new").toCompletableFuture().join()).isPresent();
    }

    @Test
    void aForgottenRun_isNoLongerListedInItsThread() {
        var ledger = new InMemoryRunLedgerAdapter(2, Duration.ofHours(1), Clock.fixed(T0, ZoneOffset.UTC));
        ledger.insert(run("run_old_done", T0.minus(Duration.ofHours(2))).withStatus(RunStatus.FAILED));
        ledger.insert(run("run_new", T0));
        ledger.insert(RunRecord.started("run_other", "thread_2", "asst_1", "gpt-4o", Map.of(), T0));

        assertThat(ledger.listByThread("thread_1", PageRequest.of(PageRequest.MAX_LIMIT, null, null, null))
                .toCompletableFuture().join().data()).extracting(RunRecord::runId).containsExactly("run_new");
        assertThat(ledger.listByThread("thread_2", PageRequest.of(PageRequest.MAX_LIMIT, null, null, null))
                .toCompletableFuture().join().data()).extracting(RunRecord::runId).containsExactly("run_other");
    }
}
