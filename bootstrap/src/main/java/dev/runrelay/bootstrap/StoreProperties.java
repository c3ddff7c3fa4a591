package dev.runrelay.bootstrap;

import dev.runrelay.adapter.openai.responses.InMemoryRunLedgerAdapter;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where runs and their event logs are kept, bound under {@code runrelay}: {@code runrelay.store}
 * ({@code memory}, the default, or {@code redis}) and its settings. The Redis connection itself is Spring
 * Boot's {@code spring.data.redis.*}.
 *
 * @param store {@code memory}: this instance alone, bounded; {@code redis}: shared by every instance on one Redis
 * @param memoryStore bounds of the in-memory run ledger
 * @param runLog retention of every run's event log (both stores)
 * @param redisStore what RunRelay's keys look like in Redis
 */
@ConfigurationProperties("runrelay")
record StoreProperties(
        @DefaultValue("memory") String store,
        @DefaultValue MemoryStore memoryStore,
        @DefaultValue RunLog runLog,
        @DefaultValue RedisStore redisStore) {

    static final String MEMORY = "memory";
    static final String REDIS = "redis";

    StoreProperties {
        if (!MEMORY.equals(store) && !REDIS.equals(store)) {
            throw new IllegalArgumentException("runrelay.store must be memory or redis, not '" + store + "'");
        }
    }

    /**
     * @param maxRuns runs the in-memory ledger holds at most (the oldest finished ones go first)
     * @param finishedRetention a finished run is forgotten this long after it was created
     */
    record MemoryStore(
            @DefaultValue("" + InMemoryRunLedgerAdapter.DEFAULT_MAX_RUNS) int maxRuns,
            @DefaultValue("24h") Duration finishedRetention) {}

    /**
     * @param retention a run's log is kept this long after its last frame (Redis: the key's expiry)
     * @param maxLength frames kept per run (Redis: {@code XADD MAXLEN ~}, so approximately)
     * @param maxRuns runs whose logs the in-memory store keeps at most
     * @param memoryMaxFrames frames the in-memory store keeps in all (about 300 bytes each)
     * @param maxQueued frames waiting for Redis beyond which new ones are dropped (bounded memory when Redis is slow or gone)
     */
    record RunLog(
            @DefaultValue("1h") Duration retention,
            @DefaultValue("10000") int maxLength,
            @DefaultValue("10000") int maxRuns,
            @DefaultValue("300000") long memoryMaxFrames,
            @DefaultValue("200000") int maxQueued) {

        RunLog {
            if (retention.isNegative() || retention.isZero()) {
                throw new IllegalArgumentException("runrelay.run-log.retention must be positive");
            }
            if (maxLength < 1 || maxRuns < 1 || memoryMaxFrames < 1 || maxQueued < 1) {
                throw new IllegalArgumentException(
                        "runrelay.run-log.max-length, max-runs, memory-max-frames and max-queued must be at least 1");
            }
        }
    }

    /**
     * @param keyPrefix prefix of every key RunRelay writes, so deployments can share one Redis
     * @param runRetention a run's ledger record expires this long after its last change
     */
    record RedisStore(
            @DefaultValue("runrelay:") String keyPrefix,
            @DefaultValue("7d") Duration runRetention) {}
}
