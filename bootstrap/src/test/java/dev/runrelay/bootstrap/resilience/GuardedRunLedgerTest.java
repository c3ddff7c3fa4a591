package dev.runrelay.bootstrap.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;

/**
 * The run ledger is called through the error-handling aspect like every provider port (docs/adr/0020):
 * whatever ledger bean the store configuration makes is replaced by its guarded proxy, so a store that
 * hangs ends in {@code timeout}, a read that fails for a moment is retried, and a raw failure leaves as
 * {@code internal}, never as the store's own exception.
 */
class GuardedRunLedgerTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void theLedgerBean_isTheGuardedProxy() {
        var ledger = new ScriptedLedger();
        try (var wiring = wiring(ledger)) {
            RunLedgerPort bean = wiring.context.getBean(RunLedgerPort.class);

            assertThat(AopUtils.isAopProxy(bean)).isTrue();
        }
    }

    @Test
    void aLedgerThatNeverAnswers_endsInTimeout_atTheCallLimit() {
        var ledger = new ScriptedLedger();
        ledger.hang = true;
        try (var wiring = wiring(ledger)) {
            long start = System.nanoTime();

            Throwable failure = failure(wiring.context.getBean(RunLedgerPort.class).find("run_1"));

            assertThat(failure).isInstanceOfSatisfying(RunRelayException.class,
                    domain -> assertThat(domain.code()).isEqualTo(ErrorCode.TIMEOUT));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        }
    }

    @Test
    void aReadThatFailsOnce_isRetried() throws Exception {
        var ledger = new ScriptedLedger();
        ledger.failuresBeforeAnswer.set(1);
        try (var wiring = wiring(ledger)) {
            Optional<RunRecord> found = wiring.context.getBean(RunLedgerPort.class).find("run_1")
                    .toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);

            assertThat(found).isEmpty();
            assertThat(ledger.finds.get()).isEqualTo(2);
        }
    }

    @Test
    void aRawStoreFailure_leavesAsInternal_withoutItsClassOrText() {
        var ledger = new ScriptedLedger();
        ledger.rawFailure = true;
        try (var wiring = wiring(ledger)) {
            Throwable failure = failure(wiring.context.getBean(RunLedgerPort.class).insert(
                    RunRecord.started("run_1", "thread_1", null, "m", java.util.Map.of(), java.time.Instant.now())));

            assertThat(failure).isInstanceOfSatisfying(RunRelayException.class, domain -> {
                assertThat(domain.code()).isEqualTo(ErrorCode.INTERNAL);
                assertThat(domain.getMessage()).doesNotContain("redis-host.internal");
            });
        }
    }

    private static ResilienceWiring wiring(ScriptedLedger ledger) {
        return ResilienceWiring.around(new ScriptedProvider().provider(),
                context -> context.registerBean("runLedger", RunLedgerPort.class, () -> ledger));
    }

    private static Throwable failure(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (Exception e) {
            throw new AssertionError("no answer", e);
        }
    }

    /** A store that hangs, fails with a retryable code a few times, or fails raw. */
    static final class ScriptedLedger implements RunLedgerPort {
        final AtomicInteger finds = new AtomicInteger();
        final AtomicInteger failuresBeforeAnswer = new AtomicInteger();
        volatile boolean hang;
        volatile boolean rawFailure;

        @Override
        public CompletionStage<Boolean> insert(RunRecord record) {
            return rawFailure ? CompletableFuture.failedFuture(new IllegalStateException("redis-host.internal:6379 refused"))
                    : CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletionStage<Optional<RunRecord>> find(String runId) {
            finds.incrementAndGet();
            if (hang) {
                return new CompletableFuture<>();
            }
            if (failuresBeforeAnswer.getAndDecrement() > 0) {
                return CompletableFuture.failedFuture(new RunRelayException(ErrorCode.PROVIDER_UNAVAILABLE, "store busy"));
            }
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Optional<RunRecord>> replace(RunRecord updated, long expectedVersion) {
            return CompletableFuture.completedFuture(Optional.empty());
        }

        @Override
        public CompletionStage<Page<RunRecord>> listByThread(String threadId, PageRequest page) {
            return CompletableFuture.completedFuture(new Page<>(java.util.List.of(), null, null, false));
        }
    }
}
