package dev.runrelay.adapter.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.domain.owner.Owner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RedisOwnershipAdapterTest {

    private static final Owner ALICE = new Owner("alice");
    private static final Owner BOB = new Owner("bob");
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
    private final RedisOwnershipAdapter owners = new RedisOwnershipAdapter(redis.template, keys, Duration.ofHours(1));

    @Test
    void aClaim_recordsTheFirstOwner_andALaterClaimerGetsThatOwner() throws Exception {
        assertThat(owners.claimRun("run_1", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(ALICE);
        assertThat(owners.claimRun("run_1", BOB).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(ALICE);
        assertThat(owners.runOwner("run_1").toCompletableFuture().get(5, TimeUnit.SECONDS)).contains(ALICE);

        assertThat(owners.claimThread("thread_1", BOB).toCompletableFuture().get(5, TimeUnit.SECONDS)).isEqualTo(BOB);
        assertThat(owners.claimThread("thread_1", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(BOB);
        assertThat(owners.threadOwner("thread_1").toCompletableFuture().get(5, TimeUnit.SECONDS)).contains(BOB);
    }

    @Test
    void unknownIds_haveNoOwner_andThreadsAndRunsAreSeparateKeySpaces() throws Exception {
        owners.claimRun("same_id", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(owners.runOwner("run_unknown").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(owners.threadOwner("thread_unknown").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
        assertThat(owners.threadOwner("same_id").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void anOwnerRecordedByOneInstance_isInForceOnAnother() throws Exception {
        var instanceB = new RedisOwnershipAdapter(otherInstance.template, keys, Duration.ofHours(1));
        owners.claimThread("thread_1", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(instanceB.threadOwner("thread_1").toCompletableFuture().get(5, TimeUnit.SECONDS)).contains(ALICE);
        assertThat(instanceB.claimThread("thread_1", BOB).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(ALICE);
    }

    /** Two connections race for the same ids: every claimer of an id learns one and the same owner. */
    @Test
    void claimersRacingOnTwoConnections_allAgreeOnOneOwner() throws Exception {
        var instanceB = new RedisOwnershipAdapter(otherInstance.template, keys, Duration.ofHours(1));
        for (int round = 0; round < 50; round++) {
            String runId = "run_race_" + round;
            List<CompletableFuture<Owner>> claims = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                claims.add(owners.claimRun(runId, new Owner("a" + i)).toCompletableFuture());
                claims.add(instanceB.claimRun(runId, new Owner("b" + i)).toCompletableFuture());
            }
            Set<Owner> agreed = new HashSet<>();
            for (CompletableFuture<Owner> claim : claims) {
                agreed.add(claim.get(5, TimeUnit.SECONDS));
            }
            assertThat(agreed).hasSize(1);
            assertThat(owners.runOwner(runId).toCompletableFuture().get(5, TimeUnit.SECONDS))
                    .contains(agreed.iterator().next());
        }
    }

    @Test
    void aRecordExpiresAfterTheRetention_andTheOwnersOwnClaimRenewsIt() throws Exception {
        var shortLived = new RedisOwnershipAdapter(redis.template, keys, Duration.ofMillis(300));
        shortLived.claimRun("run_1", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS);
        shortLived.claimRun("run_2", ALICE).toCompletableFuture().get(5, TimeUnit.SECONDS);
        Long before = redis.template.getExpire(keys.runOwner("run_1")).map(Duration::toMillis).block();

        shortLived.claimRun("run_1", BOB).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(redis.template.getExpire(keys.runOwner("run_1")).map(Duration::toMillis).block())
                .isPositive().isLessThanOrEqualTo(before);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (owners.runOwner("run_2").toCompletableFuture().get(5, TimeUnit.SECONDS).isPresent()
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(owners.runOwner("run_2").toCompletableFuture().get(5, TimeUnit.SECONDS)).isEmpty();
    }
}
