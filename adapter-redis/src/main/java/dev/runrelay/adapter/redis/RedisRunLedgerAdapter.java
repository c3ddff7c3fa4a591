package dev.runrelay.adapter.redis;

import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.run.RunRecord;
import dev.runrelay.domain.shared.Page;
import dev.runrelay.domain.shared.PageRequest;
import dev.runrelay.domain.shared.Pages;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The shared {@link RunLedgerPort} ({@code runrelay.store=redis}): one hash per run ({@code v}: version,
 * {@code r}: the record as JSON) and one sorted set per thread (run ids by creation time).
 *
 * <p>Insert and replace are Lua scripts, so the check and the write are one atomic step in Redis: two
 * instances replacing the same version of a run cannot both succeed (no lost update). Every key expires
 * {@code retention} after its last write, so Redis (not a sweep of ours) forgets old runs.
 */
public final class RedisRunLedgerAdapter implements RunLedgerPort {

    private static final RedisScript<Long> INSERT = RedisScript.of("""
            if redis.call('HSETNX', KEYS[1], 'v', ARGV[2]) == 0 then return 0 end
            redis.call('HSET', KEYS[1], 'r', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
            redis.call('PEXPIRE', KEYS[2], ARGV[4])
            return 1
            """, Long.class);

    private static final RedisScript<Long> REPLACE = RedisScript.of("""
            if redis.call('HGET', KEYS[1], 'v') ~= ARGV[2] then return 0 end
            redis.call('HSET', KEYS[1], 'v', ARGV[3], 'r', ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[4])
            return 1
            """, Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final Duration retention;
    private final JsonMapper json = RedisJson.mapper();

    public RedisRunLedgerAdapter(ReactiveStringRedisTemplate redis, RedisKeys keys, Duration retention) {
        this.redis = redis;
        this.keys = keys;
        this.retention = retention;
    }

    @Override
    public CompletionStage<Boolean> insert(RunRecord record) {
        RunRecord stored = record.withVersion(0);
        return redis.execute(INSERT, List.of(keys.run(record.runId()), keys.threadRuns(record.threadId())),
                        List.of(json.writeValueAsString(stored), "0",
                                Long.toString(record.createdAt().toEpochMilli()), millis(), record.runId()))
                .next()
                .map(inserted -> inserted == 1L)
                .toFuture();
    }

    @Override
    public CompletionStage<Optional<RunRecord>> find(String runId) {
        return read(runId).map(Optional::of).defaultIfEmpty(Optional.empty()).toFuture();
    }

    @Override
    public CompletionStage<Optional<RunRecord>> replace(RunRecord updated, long expectedVersion) {
        RunRecord next = updated.withVersion(expectedVersion + 1);
        return redis.execute(REPLACE, List.of(keys.run(updated.runId())),
                        List.of(json.writeValueAsString(next), Long.toString(expectedVersion),
                                Long.toString(expectedVersion + 1), millis()))
                .next()
                .map(replaced -> replaced == 1L ? Optional.of(next) : Optional.<RunRecord>empty())
                .toFuture();
    }

    @Override
    public CompletionStage<Page<RunRecord>> listByThread(String threadId, PageRequest page) {
        Comparator<RunRecord> byAge = Comparator.comparing(RunRecord::createdAt).thenComparing(RunRecord::runId);
        return redis.opsForZSet().range(keys.threadRuns(threadId), org.springframework.data.domain.Range.unbounded())
                .flatMapSequential(this::read)
                .collectList()
                .map(runs -> Pages.of(runs.stream().sorted(byAge).toList(), RunRecord::runId, page))
                .toFuture();
    }

    private Mono<RunRecord> read(String runId) {
        return redis.<String, String>opsForHash().get(keys.run(runId), "r")
                .map(text -> json.readValue(text, RunRecord.class));
    }

    private String millis() {
        return Long.toString(retention.toMillis());
    }

}
