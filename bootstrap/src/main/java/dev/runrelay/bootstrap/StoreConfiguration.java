package dev.runrelay.bootstrap;

import dev.runrelay.adapter.memory.InMemoryRunEventLogAdapter;
import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import dev.runrelay.adapter.redis.RedisKeys;
import dev.runrelay.adapter.redis.RedisOwnershipAdapter;
import dev.runrelay.adapter.redis.RedisRunEventLogAdapter;
import dev.runrelay.adapter.redis.RedisRunLedgerAdapter;
import dev.runrelay.application.service.RunTakeoverService;
import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.bootstrap.access.FairUseProperties;
import dev.runrelay.bootstrap.access.InMemoryOwnershipAdapter;
import dev.runrelay.domain.port.OwnershipPort;
import dev.runrelay.domain.port.RunEventLogPort;
import dev.runrelay.domain.port.RunLedgerPort;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Chooses where runs, their event logs and their owner records live from {@code runrelay.store}:
 * {@code memory} (the default: this instance alone, no extra process) or {@code redis} (shared by every
 * instance, so an owner recorded on one instance is in force on all).
 *
 * <p>Spring Boot's Redis auto-configuration is excluded in application.yml and imported here only for
 * {@code store=redis}, so a memory instance opens no Redis client and its health has no Redis in it.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({StoreProperties.class, FairUseProperties.class})
class StoreConfiguration {

    private static final Logger log = LoggerFactory.getLogger(StoreConfiguration.class);

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "runrelay.store", havingValue = StoreProperties.MEMORY, matchIfMissing = true)
    static class MemoryStore {

        @Bean
        RunLedgerPort runLedger(StoreProperties properties) {
            log.info("RunRelay store: memory (this instance alone; at most {} runs, finished runs kept {})",
                    properties.memoryStore().maxRuns(), properties.memoryStore().finishedRetention());
            return new InMemoryRunLedgerAdapter(properties.memoryStore().maxRuns(),
                    properties.memoryStore().finishedRetention(), Clock.systemUTC());
        }

        @Bean
        RunEventLogPort runEventLog(StoreProperties properties) {
            StoreProperties.RunLog runLog = properties.runLog();
            return new InMemoryRunEventLogAdapter(runLog.retention(), runLog.maxLength(), runLog.maxRuns(),
                    runLog.memoryMaxFrames(), Clock.systemUTC());
        }

        @Bean
        OwnershipPort ownershipPort(FairUseProperties fairUse) {
            return new InMemoryOwnershipAdapter(fairUse.ownershipCapacity());
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = "runrelay.store", havingValue = StoreProperties.REDIS)
    // A plain import: the auto-configurations are excluded (application.yml) from Boot's own selection.
    @Import({
        DataRedisAutoConfiguration.class,
        DataRedisReactiveAutoConfiguration.class,
        DataRedisReactiveHealthContributorAutoConfiguration.class
    })
    static class RedisStore {

        @Bean
        RedisKeys redisKeys(StoreProperties properties) {
            return new RedisKeys(properties.redisStore().keyPrefix());
        }

        @Bean
        RunLedgerPort runLedger(
                ReactiveStringRedisTemplate reactiveStringRedisTemplate, RedisKeys keys, StoreProperties properties) {
            log.info("RunRelay store: redis (keys under '{}', run records kept {} after their last change)",
                    keys.prefix(), properties.redisStore().runRetention());
            return new RedisRunLedgerAdapter(reactiveStringRedisTemplate, keys, properties.redisStore().runRetention());
        }

        @Bean(destroyMethod = "close")
        RedisRunEventLogAdapter runEventLog(
                ReactiveStringRedisTemplate reactiveStringRedisTemplate, RedisKeys keys, StoreProperties properties) {
            StoreProperties.RunLog runLog = properties.runLog();
            return new RedisRunEventLogAdapter(reactiveStringRedisTemplate, keys, runLog.retention(),
                    runLog.maxLength(), runLog.maxQueued());
        }

        /**
         * A resume whose producer died takes the run over here (docs/adr/0025): only a shared store can
         * tell that the producer's lease lapsed and grant it to one instance.
         */
        @Bean
        TakeOverRunUseCase runTakeover(RedisRunEventLogAdapter runEventLog,
                ProviderConfiguration.SelectedProvider selectedProvider) {
            return new RunTakeoverService(runEventLog, selectedProvider.takeover(),
                    selectedProvider.provider().errorTranslator());
        }

        /** Owner records expire like run records: {@code runrelay.redis-store.run-retention} after their claim. */
        @Bean
        OwnershipPort ownershipPort(
                ReactiveStringRedisTemplate reactiveStringRedisTemplate, RedisKeys keys, StoreProperties properties) {
            return new RedisOwnershipAdapter(reactiveStringRedisTemplate, keys, properties.redisStore().runRetention());
        }
    }
}
