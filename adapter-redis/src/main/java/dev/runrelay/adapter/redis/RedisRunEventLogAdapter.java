package dev.runrelay.adapter.redis;

import dev.runrelay.domain.port.RunEventLogPort;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import dev.runrelay.bridge.FlowBridge;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The run event log on Redis Streams ({@code runrelay.store=redis}): one stream per run whose entry ids
 * are {@code <seq>-0}, so "every frame after N" is one {@code XREAD} from {@code N-0}.
 *
 * <p>Appends never wait on Redis: they go into a queue that one writer drains, a batch of up to
 * {@value #MAX_BATCH} frames per Lua call (XADD with {@code MAXLEN ~} and a PEXPIRE per frame), one batch in
 * flight at a time, so the batch grows with the load instead of the number of round trips. Redis trims
 * ({@code MAXLEN ~}) and expires (retention after the last frame) the logs; nothing of ours sweeps them.
 * Readers follow a live log with {@code XREAD BLOCK} on a connection of their own (Lettuce's dedicated
 * connection), without blocking a thread.
 *
 * <p>The instance writing a run's stream holds a lease on it ({@code SET PX}, renewed every second for all
 * its runs in one call); a reader whose log has gone quiet stops when the lease has lapsed, so a client
 * never waits for frames from an instance that is gone.
 */
public final class RedisRunEventLogAdapter implements RunEventLogPort, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisRunEventLogAdapter.class);

    static final int MAX_BATCH = 512;
    private static final Duration BLOCK = Duration.ofSeconds(2);
    private static final int READ_COUNT = 512;

    /** ARGV: maxLength, ttl millis, then per key i: seq, last (0/1), frame. seq 1 starts the log afresh. */
    private static final RedisScript<Long> APPEND = RedisScript.of("""
            local maxlen = ARGV[1]
            local ttl = ARGV[2]
            local failed = 0
            for i = 1, #KEYS do
              local at = 3 + (i - 1) * 3
              local seq = ARGV[at]
              if seq == '1' then redis.call('DEL', KEYS[i]) end
              local ok = redis.pcall('XADD', KEYS[i], 'MAXLEN', '~', maxlen, seq .. '-0', 'f', ARGV[at + 2], 'l', ARGV[at + 1])
              if type(ok) == 'table' and ok.err then failed = failed + 1 end
              redis.call('PEXPIRE', KEYS[i], ttl)
            end
            return failed
            """, Long.class);

    /** ARGV: ttl millis; every key is a lease set to 1 for that long. */
    private static final RedisScript<Long> RENEW = RedisScript.of("""
            for i = 1, #KEYS do redis.call('SET', KEYS[i], '1', 'PX', ARGV[1]) end
            return #KEYS
            """, Long.class);

    /** How long a producer's lease lasts without renewal, and how often this instance renews its own. */
    static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration RENEW_EVERY = Duration.ofSeconds(1);

    private record Pending(String key, Entry entry) {}

    private final ReactiveStringRedisTemplate redis;
    private final RedisKeys keys;
    private final Duration retention;
    private final int maxLength;
    private final int maxQueued;
    private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    /** The runs whose streams this instance is writing now: it renews their leases. */
    private final Set<String> producing = ConcurrentHashMap.newKeySet();
    private final Disposable renewer;

    /**
     * @param retention how long a run's log is kept after its last frame
     * @param maxLength the frames kept per run (approximately: Redis trims whole macro nodes)
     * @param maxQueued frames waiting for Redis beyond which new ones are dropped (and logged), so an
     *     unreachable Redis costs bounded memory; a resume across the gap then answers resume_unavailable
     */
    public RedisRunEventLogAdapter(
            ReactiveStringRedisTemplate redis, RedisKeys keys, Duration retention, int maxLength, int maxQueued) {
        this.redis = redis;
        this.keys = keys;
        this.retention = retention;
        this.maxLength = maxLength;
        this.maxQueued = maxQueued;
        this.renewer = Flux.interval(Duration.ZERO, RENEW_EVERY)
                .onBackpressureDrop()
                .concatMap(tick -> renewLeases().onErrorResume(failure -> {
                    log.warn("Run event log: renewing {} leases failed: {}", producing.size(), failure.toString());
                    return Mono.empty();
                }))
                .subscribe();
    }

    private Mono<Long> renewLeases() {
        if (producing.isEmpty()) {
            return Mono.empty();
        }
        List<String> leases = producing.stream().map(keys::lease).toList();
        return redis.execute(RENEW, leases, List.of(Long.toString(LEASE.toMillis()))).next();
    }

    @Override
    public void append(String runId, Entry entry) {
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            if (dropped.getAndIncrement() % 10_000 == 0) {
                log.warn("Run event log: {} frames waiting for Redis; dropping frames (run {})", maxQueued, runId);
            }
            return;
        }
        if (entry.last()) {
            producing.remove(runId);
        } else if (producing.add(runId)) {
            // At once, not at the next renewal: a lease-less live run could be claimed by another instance.
            redis.opsForValue().set(keys.lease(runId), "1", LEASE).subscribe(null, failure -> log.warn(
                    "Run event log: taking the lease of {} failed: {}", runId, failure.toString()));
        }
        queue.add(new Pending(keys.log(runId), entry));
        drain();
    }

    /** Frames waiting for Redis now. */
    public int queued() {
        return queued.get();
    }

    /** Frames dropped because Redis did not keep up (since start). */
    public int dropped() {
        return dropped.get();
    }

    private void drain() {
        if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
            return;
        }
        List<String> batchKeys = new ArrayList<>();
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(maxLength));
        args.add(Long.toString(retention.toMillis()));
        Pending next;
        while (batchKeys.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batchKeys.add(next.key());
            args.add(Long.toString(next.entry().seq()));
            args.add(next.entry().last() ? "1" : "0");
            args.add(next.entry().frame());
        }
        queued.addAndGet(-batchKeys.size());
        redis.execute(APPEND, batchKeys, args)
                .doFinally(signal -> {
                    writing.set(false);
                    drain();
                })
                .subscribe(failed -> {
                    if (failed > 0) {
                        log.debug("Run event log: {} frames were already logged", failed);
                    }
                }, failure -> log.warn("Run event log: writing {} frames failed: {}", batchKeys.size(),
                        failure.toString()));
    }

    @Override
    public Flow.Publisher<Entry> read(String runId, long afterSeq) {
        String key = keys.log(runId);
        Flux<Entry> entries = redis.opsForStream().reverseRange(key, Range.unbounded(), Limit.limit().count(1))
                .map(RedisRunEventLogAdapter::toEntry)
                .next()
                .flatMapMany(newest -> {
            if (newest.last() && newest.seq() <= afterSeq) {
                // The stream ended at or before afterSeq: nothing to replay, nothing will follow.
                return Flux.empty();
            }
            var lastId = new AtomicReference<>(afterSeq + "-0");
            var ended = new AtomicBoolean();
            return Flux.defer(() -> redis.opsForStream()
                            .read(StreamReadOptions.empty().block(BLOCK).count(READ_COUNT),
                                    StreamOffset.create(key, ReadOffset.from(lastId.get())))
                            .collectList()
                            .flatMapMany(records -> records.isEmpty()
                                    // Nothing new: go on waiting while the producer's lease is held, else stop
                                    // (its instance is gone, or the log expired): the caller ends the stream.
                                    ? redis.hasKey(keys.lease(runId))
                                            .doOnNext(producerAlive -> ended.compareAndSet(false, !producerAlive))
                                            .thenMany(Flux.<Entry>empty())
                                    : Flux.fromIterable(records).map(record -> {
                                        lastId.set(record.getId().getValue());
                                        Entry entry = toEntry(record);
                                        if (entry.last()) {
                                            ended.set(true);
                                        }
                                        return entry;
                                    })))
                    .repeat(() -> !ended.get())
                    .takeUntil(Entry::last);
        });
        return FlowBridge.toFlow(entries);
    }

    @Override
    public void markResumed(String runId, Instant at) {
        redis.opsForValue().set(keys.resumed(runId), Long.toString(at.toEpochMilli()), retention)
                .subscribe(null, failure -> log.warn("Run event log: noting the resume of {} failed: {}", runId,
                        failure.toString()));
    }

    @Override
    public CompletionStage<Optional<Instant>> lastResumed(String runId) {
        return redis.opsForValue().get(keys.resumed(runId))
                .map(millis -> Optional.of(Instant.ofEpochMilli(Long.parseLong(millis))))
                .defaultIfEmpty(Optional.empty())
                .toFuture();
    }

    @Override
    public CompletionStage<List<Entry>> snapshot(String runId) {
        return redis.opsForStream().range(keys.log(runId), Range.unbounded())
                .map(RedisRunEventLogAdapter::toEntry)
                .collectList()
                .toFuture();
    }

    /**
     * {@code SET lease NX PX}: only one instance wins a lapsed lease; the winner renews it from now on like
     * the lease of a stream it started (docs/adr/0025).
     */
    @Override
    public CompletionStage<Boolean> claimProducer(String runId) {
        return redis.opsForValue().setIfAbsent(keys.lease(runId), "1", LEASE)
                .doOnNext(won -> {
                    if (won) {
                        producing.add(runId);
                    }
                })
                .defaultIfEmpty(false)
                .toFuture();
    }

    private static Entry toEntry(MapRecord<String, Object, Object> record) {
        Map<Object, Object> body = record.getValue();
        String id = record.getId().getValue();
        long seq = Long.parseLong(id.substring(0, id.indexOf('-')));
        return new Entry(seq, "1".equals(body.get("l")), (String) body.get("f"));
    }

    @Override
    public void close() {
        renewer.dispose();
        // Give the last batch a moment to reach Redis before the connection factory goes away.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while ((writing.get() || !queue.isEmpty()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
