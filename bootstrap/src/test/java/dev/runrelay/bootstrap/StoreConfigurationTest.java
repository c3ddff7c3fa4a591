package dev.runrelay.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.memory.InMemoryRunEventLogAdapter;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.redis.RedisOwnershipAdapter;
import dev.runrelay.adapter.redis.RedisRunEventLogAdapter;
import dev.runrelay.adapter.redis.RedisRunLedgerAdapter;
import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.bootstrap.access.InMemoryOwnershipAdapter;
import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.port.OwnershipPort;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RunRecord;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;

class StoreConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(StoreConfiguration.class, ProviderConfiguration.class);

    @Test
    void byDefault_theStoreIsMemory_boundedAsConfigured_andNoRedisClientExists() {
        context.withPropertyValues("runrelay.memory-store.max-runs=5").run(started -> {
            assertThat(started).hasNotFailed();
            assertThat(started.getBean(RunLedgerPort.class)).isInstanceOf(InMemoryRunLedgerAdapter.class);
            assertThat(started.getBean(RunEventLogPort.class)).isInstanceOf(InMemoryRunEventLogAdapter.class);
            assertThat(started.getBean(OwnershipPort.class)).isInstanceOf(InMemoryOwnershipAdapter.class);
            assertThat(started).doesNotHaveBean(ReactiveRedisConnectionFactory.class);
            assertThat(started).as("one instance: nothing to take runs over from").doesNotHaveBean(TakeOverRunUseCase.class);

            var ledger = (InMemoryRunLedgerAdapter) started.getBean(RunLedgerPort.class);
            for (int i = 0; i < 20; i++) {
                ledger.insert(RunRecord.started("run_" + i, "thread_1", null, "m", Map.of(), Instant.now()));
            }
            assertThat(ledger.size()).isLessThanOrEqualTo(5);
        });
    }

    @Test
    void storeRedis_usesBootsSpringDataRedisProperties() {
        RedisTestServer redis = RedisTestServer.shared();
        context.withPropertyValues("runrelay.store=redis", "spring.data.redis.host=" + redis.host(),
                        "spring.data.redis.port=" + redis.port(),
                        "runrelay.redis-store.key-prefix=test:" + UUID.randomUUID() + ":")
                .run(started -> {
                    assertThat(started).hasNotFailed();
                    assertThat(started.getBean(RunLedgerPort.class)).isInstanceOf(RedisRunLedgerAdapter.class);
                    assertThat(started.getBean(RunEventLogPort.class)).isInstanceOf(RedisRunEventLogAdapter.class);
                    assertThat(started.getBean(TakeOverRunUseCase.class).available())
                            .as("the default sandbox provider cannot be taken over").isFalse();

                    RunLedgerPort ledger = started.getBean(RunLedgerPort.class);
                    RunRecord run = RunRecord.started("run_1", "thread_1", null, "m", Map.of(), Instant.now());
                    assertThat(ledger.insert(run).toCompletableFuture().join()).isTrue();
                    assertThat(ledger.find("run_1").toCompletableFuture().join()).contains(run);

                    OwnershipPort owners = started.getBean(OwnershipPort.class);
                    assertThat(owners).isInstanceOf(RedisOwnershipAdapter.class);
                    assertThat(owners.claimRun("run_1", new Owner("alice")).toCompletableFuture().join())
                            .isEqualTo(new Owner("alice"));
                    assertThat(owners.claimRun("run_1", new Owner("bob")).toCompletableFuture().join())
                            .isEqualTo(new Owner("alice"));
                });
    }

    @Test
    void anUnknownStore_failsTheStart_namingTheProperty() {
        context.withPropertyValues("runrelay.store=mysql").run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .hasMessageContaining("runrelay.store must be memory or redis");
        });
    }
}
