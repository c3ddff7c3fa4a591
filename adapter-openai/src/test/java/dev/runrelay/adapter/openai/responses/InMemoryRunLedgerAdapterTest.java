package dev.runrelay.adapter.openai.responses;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.domain.error.InvalidRequestException;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class InMemoryRunLedgerAdapterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private final InMemoryRunLedgerAdapter ledger = new InMemoryRunLedgerAdapter();

    private static RunRecord run(String id, String thread, int secondsAfterT0) {
        return RunRecord.started(id, thread, "default", "gpt-4.1-mini", Map.of(), T0.plusSeconds(secondsAfterT0));
    }

    private static <T> T join(CompletionStage<T> stage) {
        return Mono.fromCompletionStage(stage).block(TIMEOUT);
    }

    @Test
    void insert_refusesATakenRunId() {
        assertThat(join(ledger.insert(run("run_1", "conv_1", 0)))).isTrue();
        assertThat(join(ledger.insert(run("run_1", "conv_2", 0)))).isFalse();
        assertThat(join(ledger.find("run_1"))).map(RunRecord::threadId).contains("conv_1");
    }

    @Test
    void listByThread_afterARefusedInsert_andAMoveToAnotherThread_listsEachRunInItsStoredThreadOnly() {
        join(ledger.insert(run("run_1", "conv_1", 0)));
        join(ledger.insert(run("run_1", "conv_2", 0)));
        join(ledger.insert(run("run_2", "conv_1", 1)));
        RunRecord second = join(ledger.find("run_2")).orElseThrow();
        RunRecord moved = new RunRecord(second.runId(), "conv_3", second.assistantId(), second.model(), second.status(),
                second.responseIds(), second.pendingToolCalls(), second.metadata(), second.createdAt(),
                second.expiresAt(), second.version());
        assertThat(join(ledger.replace(moved, second.version()))).isPresent();

        PageRequest all = PageRequest.of(PageRequest.MAX_LIMIT, null, null, null);
        assertThat(join(ledger.listByThread("conv_1", all)).data()).extracting(RunRecord::runId).containsExactly("run_1");
        assertThat(join(ledger.listByThread("conv_2", all)).data()).isEmpty();
        assertThat(join(ledger.listByThread("conv_3", all)).data()).extracting(RunRecord::runId).containsExactly("run_2");
    }

    @Test
    void replace_succeedsOnlyAtTheExpectedVersion_andIncrementsIt() {
        join(ledger.insert(run("run_1", "conv_1", 0)));
        RunRecord read = join(ledger.find("run_1")).orElseThrow();

        Optional<RunRecord> first = join(ledger.replace(read.withResponse("resp_1"), read.version()));
        Optional<RunRecord> stale = join(ledger.replace(read.withStatus(RunStatus.CANCELLED), read.version()));

        assertThat(first).map(RunRecord::version).contains(1L);
        assertThat(stale).isEmpty();
        RunRecord stored = join(ledger.find("run_1")).orElseThrow();
        assertThat(stored.responseIds()).containsExactly("resp_1");
        assertThat(stored.status()).isEqualTo(RunStatus.QUEUED);
    }

    @Test
    void listByThread_ordersByCreationAndPagesByRunId() {
        join(ledger.insert(run("run_a", "conv_1", 0)));
        join(ledger.insert(run("run_b", "conv_1", 1)));
        join(ledger.insert(run("run_c", "conv_1", 2)));
        join(ledger.insert(run("run_x", "conv_2", 3)));

        Page<RunRecord> newest = join(ledger.listByThread("conv_1", PageRequest.of(2, null, null, null)));
        Page<RunRecord> rest = join(ledger.listByThread("conv_1", PageRequest.of(2, null, newest.lastId(), null)));
        Page<RunRecord> oldestFirst = join(ledger.listByThread("conv_1", PageRequest.of(10, SortOrder.ASC, null, null)));
        Page<RunRecord> beforeC = join(ledger.listByThread("conv_1", PageRequest.of(1, SortOrder.ASC, null, "run_c")));

        assertThat(newest.data()).extracting(RunRecord::runId).containsExactly("run_c", "run_b");
        assertThat(newest.hasMore()).isTrue();
        assertThat(rest.data()).extracting(RunRecord::runId).containsExactly("run_a");
        assertThat(rest.hasMore()).isFalse();
        assertThat(oldestFirst.data()).extracting(RunRecord::runId).containsExactly("run_a", "run_b", "run_c");
        assertThat(beforeC.data()).extracting(RunRecord::runId).containsExactly("run_b");
        assertThat(beforeC.hasMore()).isTrue();
    }

    @Test
    void listByThread_anUnknownCursorIsInvalid_notAFreshFirstPage() {
        join(ledger.insert(run("run_a", "conv_1", 0)));

        assertThatThrownBy(() -> join(ledger.listByThread("conv_1", PageRequest.of(null, null, "run_gone", null))))
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("after"));
    }
}
