package dev.runrelay.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.run.RunStatus;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.SortOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisRunLedgerAdapterTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static RedisTestTemplates redis;
    private static RedisTestTemplates otherInstance;

    @BeforeAll
    static void connect() {
        redis = new RedisTestTemplates(RedisTestServer.shared());
        otherInstance = new RedisTestTemplates(RedisTestServer.shared());
    }

    @AfterAll
    static void disconnect() {
        redis.close();
        otherInstance.close();
    }

    private final RedisKeys keys = new RedisKeys("test:" + UUID.randomUUID() + ":");
    private final RedisRunLedgerAdapter ledger = new RedisRunLedgerAdapter(redis.template, keys, Duration.ofHours(1));

    @Test
    void insert_storesOnce_andFindReadsItBack() throws Exception {
        RunRecord run = RunRecord.started("run_1", "thread_1", "asst_1", "gpt-4o", Map.of("k", "v"), T0);

        assertThat(ledger.insert(run).toCompletableFuture().get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ledger.insert(run.withStatus(RunStatus.FAILED)).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isFalse();

        assertThat(ledger.find("run_1").toCompletableFuture().get(5, TimeUnit.SECONDS)).contains(run);
        assertThat(ledger.find("run_missing").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void replace_isCompareAndSetOnVersion() throws Exception {
        RunRecord run = RunRecord.started("run_1", "thread_1", "asst_1", "gpt-4o", Map.of(), T0);
        ledger.insert(run).toCompletableFuture().get(5, TimeUnit.SECONDS);

        Optional<RunRecord> first = ledger.replace(run.withStatus(RunStatus.IN_PROGRESS), 0)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        Optional<RunRecord> stale = ledger.replace(run.withStatus(RunStatus.CANCELLED), 0)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(first).get().extracting(RunRecord::version, RunRecord::status)
                .containsExactly(1L, RunStatus.IN_PROGRESS);
        assertThat(stale).isEmpty();
        assertThat(ledger.find("run_1").toCompletableFuture().get(5, TimeUnit.SECONDS)).get()
                .extracting(RunRecord::status).isEqualTo(RunStatus.IN_PROGRESS);
    }

    /** Two instances (two connections) each add one metadata key, retrying on conflict: none is lost. */
    @Test
    void concurrentWritersOnTwoConnections_loseNoUpdate() throws Exception {
        RunRecord run = RunRecord.started("run_1", "thread_1", "asst_1", "gpt-4o", Map.of(), T0);
        ledger.insert(run).toCompletableFuture().get(5, TimeUnit.SECONDS);
        var ledgerB = new RedisRunLedgerAdapter(otherInstance.template, keys, Duration.ofHours(1));

        List<CompletableFuture<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            var target = i % 2 == 0 ? ledger : ledgerB;
            String key = "k" + i;
            writers.add(CompletableFuture.runAsync(() -> addMetadata(target, key)));
        }
        CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        RunRecord stored = ledger.find("run_1").toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
        assertThat(stored.metadata()).hasSize(40);
        assertThat(stored.version()).isEqualTo(40);
    }

    private static void addMetadata(RedisRunLedgerAdapter target, String key) {
        try {
            while (true) {
                RunRecord current = target.find("run_1").toCompletableFuture().get(5, TimeUnit.SECONDS).orElseThrow();
                var metadata = new java.util.HashMap<>(current.metadata());
                metadata.put(key, "x");
                if (target.replace(current.withMetadata(metadata), current.version())
                        .toCompletableFuture().get(5, TimeUnit.SECONDS).isPresent()) {
                    return;
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void listByThread_pagesByCreationTime() throws Exception {
        for (int i = 0; i < 5; i++) {
            ledger.insert(RunRecord.started("run_" + i, "thread_1", "asst_1", "gpt-4o", Map.of(), T0.plusSeconds(i)))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        ledger.insert(RunRecord.started("run_other", "thread_2", "asst_1", "gpt-4o", Map.of(), T0))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        var newest = ledger.listByThread("thread_1", PageRequest.of(2, null, null, null))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        var oldestAfter = ledger.listByThread("thread_1", PageRequest.of(10, SortOrder.ASC, "run_1", null))
                .toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(newest.data()).extracting(RunRecord::runId).containsExactly("run_4", "run_3");
        assertThat(newest.hasMore()).isTrue();
        assertThat(oldestAfter.data()).extracting(RunRecord::runId).containsExactly("run_2", "run_3", "run_4");
    }
}
