package dev.runrelay.adapter.redis;

import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.port.OwnershipPort;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import reactor.core.publisher.Mono;

/**
 * The shared {@link OwnershipPort} ({@code runrelay.store=redis}): one string key per thread and per run
 * holding its owner's name, so an owner recorded by one instance is in force on all of them.
 *
 * <p>A claim is one Lua script ({@code SET NX}, else {@code GET}), so two instances racing for the same
 * id agree on one owner and each learns which. A record expires {@code retention} after its claim, like
 * a run's ledger record; a later claim by the owner in force starts that time again (a thread in use keeps
 * its owner), a claim by anyone else changes nothing.
 */
public final class RedisOwnershipAdapter implements OwnershipPort {

    private static final RedisScript<String> CLAIM = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return ARGV[1] end
            local owner = redis.call('GET', KEYS[1])
            if owner == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return owner
            """, String.class);

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final Duration retention;

    public RedisOwnershipAdapter(ReactiveStringRedisTemplate redis, RedisKeys keys, Duration retention) {
        if (retention == null || retention.toMillis() < 1) {
            throw new IllegalArgumentException("the ownership retention must be at least 1ms");
        }
        this.redis = redis;
        this.keys = keys;
        this.retention = retention;
    }

    @Override
    public CompletionStage<Owner> claimThread(String threadId, Owner owner) {
        return claim(keys.threadOwner(threadId), owner);
    }

    @Override
    public CompletionStage<Optional<Owner>> threadOwner(String threadId) {
        return read(keys.threadOwner(threadId));
    }

    @Override
    public CompletionStage<Owner> claimRun(String runId, Owner owner) {
        return claim(keys.runOwner(runId), owner);
    }

    @Override
    public CompletionStage<Optional<Owner>> runOwner(String runId) {
        return read(keys.runOwner(runId));
    }

    private CompletionStage<Owner> claim(String key, Owner owner) {
        return redis.execute(CLAIM, List.of(key), List.of(owner.name(), Long.toString(retention.toMillis())))
                .next()
                .map(Owner::new)
                .switchIfEmpty(Mono.error(() -> new IllegalStateException("Redis returned no owner for a claim")))
                .toFuture();
    }

    private CompletionStage<Optional<Owner>> read(String key) {
        return redis.opsForValue().get(key).map(name -> Optional.of(new Owner(name)))
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }
}
