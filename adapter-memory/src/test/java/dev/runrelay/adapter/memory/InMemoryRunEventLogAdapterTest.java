package dev.runrelay.adapter.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.port.RunEventLogPort.Entry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.test.StepVerifier;

class InMemoryRunEventLogAdapterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void read_replaysAfterSeq_thenFollowsToTheEnd() {
        var log = new InMemoryRunEventLogAdapter(Duration.ofHours(1), 100, 10, 1_000_000, clock);
        log.append("run_1", new Entry(1, false, "a"));
        log.append("run_1", new Entry(2, false, "b"));

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 1)))
                .expectNextMatches(entry -> entry.seq() == 2)
                .then(() -> log.append("run_1", new Entry(3, true, "c")))
                .expectNextMatches(entry -> entry.seq() == 3 && entry.last())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void ring_keepsTheLastMaxLengthFrames() {
        var log = new InMemoryRunEventLogAdapter(Duration.ofHours(1), 3, 10, 1_000_000, clock);
        for (int seq = 1; seq <= 10; seq++) {
            log.append("run_1", new Entry(seq, seq == 10, "x"));
        }

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 0)))
                .expectNextMatches(entry -> entry.seq() == 8)
                .expectNextCount(2)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void logs_areForgottenAfterRetention_andBeyondMaxRuns() {
        var log = new InMemoryRunEventLogAdapter(Duration.ofMinutes(1), 10, 3, 1_000_000, clock);
        log.append("run_old", new Entry(1, true, "x"));
        now.set(now.get().plus(Duration.ofMinutes(2)));

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_old", 0))).expectComplete().verify(TIMEOUT);

        for (int i = 0; i < 10; i++) {
            log.append("run_" + i, new Entry(1, true, "x"));
        }
        assertThat(log.runs()).isLessThanOrEqualTo(3);
    }

    @Test
    void framesInAll_stayWithinTheBudget_theLeastRecentlyWrittenLogsGoFirst() {
        var log = new InMemoryRunEventLogAdapter(Duration.ofHours(1), 1000, 1000, 100, clock);
        for (int run = 0; run < 20; run++) {
            for (int seq = 1; seq <= 10; seq++) {
                log.append("run_" + run, new Entry(seq, seq == 10, "x"));
            }
            now.set(now.get().plusMillis(1));
        }

        assertThat(log.frames()).isLessThanOrEqualTo(100);
        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_0", 0))).expectComplete().verify(TIMEOUT);
        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_19", 0)))
                .expectNextCount(10).expectComplete().verify(TIMEOUT);
    }
}
