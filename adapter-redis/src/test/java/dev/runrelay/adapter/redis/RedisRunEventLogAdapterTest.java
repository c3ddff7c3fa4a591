package dev.runrelay.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.domain.port.RunEventLogPort.Entry;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.adapter.JdkFlowAdapter;
import reactor.test.StepVerifier;

class RedisRunEventLogAdapterTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static RedisTestTemplates redis;

    @BeforeAll
    static void connect() {
        redis = new RedisTestTemplates(RedisTestServer.shared());
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    private final RedisKeys keys = new RedisKeys("test:" + UUID.randomUUID() + ":");

    private RedisRunEventLogAdapter log(int maxLength) {
        return new RedisRunEventLogAdapter(redis.template, keys, Duration.ofHours(1), maxLength, 100_000);
    }

    @Test
    void read_replaysFramesAfterSeq_toTheEnd() {
        var log = log(1000);
        for (int seq = 1; seq <= 5; seq++) {
            log.append("run_1", new Entry(seq, seq == 5, "{\"seq\":" + seq + "}"));
        }

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 2)))
                .expectNextMatches(entry -> entry.seq() == 3 && entry.frame().equals("{\"seq\":3}"))
                .expectNextMatches(entry -> entry.seq() == 4)
                .expectNextMatches(entry -> entry.seq() == 5 && entry.last())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void read_followsFramesAppendedLater_byAnotherWriter() {
        var writer = log(1000);
        var reader = log(1000);
        writer.append("run_1", new Entry(1, false, "a"));

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(reader.read("run_1", 0)))
                .expectNextMatches(entry -> entry.seq() == 1)
                .then(() -> {
                    writer.append("run_1", new Entry(2, false, "b"));
                    writer.append("run_1", new Entry(3, true, "c"));
                })
                .expectNextMatches(entry -> entry.seq() == 2 && entry.frame().equals("b"))
                .expectNextMatches(entry -> entry.seq() == 3 && entry.last())
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    void read_ofAnUnknownRun_completesEmpty() {
        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log(1000).read("run_nothing", 0)))
                .expectComplete()
                .verify(TIMEOUT);
    }

    /** MAXLEN ~ trims the oldest frames; a reader from 0 then sees a first seq above 1 (a gap it can detect). */
    @Test
    void redisTrimsLongLogs_firstFramesAreGone() {
        var log = log(100);
        int frames = 2000;
        for (int seq = 1; seq <= frames; seq++) {
            log.append("run_1", new Entry(seq, seq == frames, "x"));
        }

        var first = JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 0)).blockFirst(TIMEOUT);

        assertThat(first).isNotNull();
        assertThat(first.seq()).isGreaterThan(1);
        Long length = redis.template.opsForStream().size(keys.log("run_1")).block(TIMEOUT);
        assertThat(length).isLessThan((long) frames);
    }

    @Test
    void logsExpire_afterTheRetention() {
        var log = new RedisRunEventLogAdapter(redis.template, keys, Duration.ofHours(1), 1000, 100_000);
        log.append("run_1", new Entry(1, true, "x"));
        JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 0)).blockLast(TIMEOUT);

        Duration ttl = redis.template.getExpire(keys.log("run_1")).block(TIMEOUT);

        assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
    }

    @Test
    void seqOne_startsTheLogAfresh() {
        var log = log(1000);
        log.append("run_1", new Entry(1, false, "old-1"));
        log.append("run_1", new Entry(2, true, "old-2"));
        log.append("run_1", new Entry(1, true, "new-1"));

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log.read("run_1", 0)))
                .expectNextMatches(entry -> entry.frame().equals("new-1") && entry.last())
                .expectComplete()
                .verify(TIMEOUT);
    }

    /** The writer's instance goes away mid-stream: its lease lapses and a follower stops instead of waiting for ever. */
    @Test
    void follower_stops_whenTheProducersLeaseLapses() {
        var producer = log(1000);
        producer.append("run_1", new Entry(1, false, "a"));
        var reader = log(1000);

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(reader.read("run_1", 0)))
                .expectNextMatches(entry -> entry.seq() == 1)
                .then(producer::close)
                .expectComplete()
                .verify(RedisRunEventLogAdapter.LEASE.plusSeconds(10));
    }

    /** While the producer renews its lease, a quiet log is waited on, not abandoned. */
    @Test
    void follower_waits_whileTheProducerHoldsItsLease() {
        var producer = log(1000);
        producer.append("run_1", new Entry(1, false, "a"));

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(log(1000).read("run_1", 0)))
                .expectNextMatches(entry -> entry.seq() == 1)
                .expectNoEvent(RedisRunEventLogAdapter.LEASE.plusSeconds(2))
                .then(() -> producer.append("run_1", new Entry(2, true, "b")))
                .expectNextMatches(entry -> entry.seq() == 2)
                .expectComplete()
                .verify(TIMEOUT);
        producer.close();
    }

    /**
     * Takeover (docs/adr/0025): while the producer holds its lease nobody can claim the run; once it
     * lapsed exactly one of two instances wins, and the winner's lease keeps its followers waiting.
     */
    @Test
    void claimProducer_isRefusedWhileTheLeaseIsHeld_andWonByExactlyOneInstanceOnceItLapsed() throws Exception {
        var producer = log(1000);
        producer.append("run_1", new Entry(1, false, "a"));
        producer.append("run_1", new Entry(2, false, "b"));
        var b = log(1000);
        var c = log(1000);
        await(() -> b.snapshot("run_1").toCompletableFuture().join().size() == 2);

        assertThat(b.claimProducer("run_1").toCompletableFuture().get()).as("the producer renews its lease").isFalse();
        producer.close();
        Thread.sleep(RedisRunEventLogAdapter.LEASE.plusSeconds(1).toMillis());

        var claims = List.of(b.claimProducer("run_1").toCompletableFuture(), c.claimProducer("run_1").toCompletableFuture());
        assertThat(claims.stream().map(CompletableFuture::join).filter(won -> won)).as("one winner").hasSize(1);
        var winner = claims.get(0).join() ? b : c;
        assertThat(b.snapshot("run_1").toCompletableFuture().get())
                .extracting(Entry::seq).containsExactly(1L, 2L);

        StepVerifier.create(JdkFlowAdapter.flowPublisherToFlux(c.read("run_1", 2)))
                .expectSubscription()
                .expectNoEvent(RedisRunEventLogAdapter.LEASE.plusSeconds(1))
                .then(() -> winner.append("run_1", new Entry(3, true, "c")))
                .expectNextMatches(entry -> entry.seq() == 3 && entry.last())
                .expectComplete()
                .verify(TIMEOUT);
        b.close();
        c.close();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within %s", TIMEOUT).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
