package dev.runrelay.bootstrap.access;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.owner.Owner;
import dev.runrelay.domain.port.FairUsePort;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fair use per principal, in this instance: at most {@code maxStreams} concurrent streams per principal
 * across all its connections, and a resilience4j rate limiter per principal on starting runs that never
 * waits (timeout 0). A refusal is {@code rate_limited} with a retry-after. Counted in
 * {@code runrelay.fair.use} by outcome ({@code admitted}, {@code rate_limited}, {@code too_many_streams});
 * never by principal, so the metric's cardinality stays fixed.
 *
 * <p>Bounded memory: stream counts exist only while a principal streams; rate limiters are kept for the
 * {@code maxPrincipals} most recently seen principals (one forgotten starts again with a full allowance,
 * which costs at most one period's allowance per eviction).
 */
final class PrincipalFairUseAdapter implements FairUsePort {

    /** A freed stream slot has no date; a client asked to wait this long tries again soon. */
    static final Duration STREAM_RETRY_AFTER = Duration.ofSeconds(1);

    private final int maxStreams;
    private final RateLimiterConfig startsConfig;
    private final Map<String, AtomicInteger> streams = new ConcurrentHashMap<>();
    private final Map<String, AtomicRateLimiter> starts;
    private final Counter admitted;
    private final Counter rateLimited;
    private final Counter tooManyStreams;

    PrincipalFairUseAdapter(int maxStreams, int runsPerPeriod, Duration period, int maxPrincipals, MeterRegistry meters) {
        if (maxStreams < 1 || runsPerPeriod < 1 || maxPrincipals < 1) {
            throw new IllegalArgumentException("fair-use limits must be at least 1");
        }
        this.maxStreams = maxStreams;
        this.startsConfig = RateLimiterConfig.custom()
                .limitForPeriod(runsPerPeriod)
                .limitRefreshPeriod(period)
                .timeoutDuration(Duration.ZERO)
                .build();
        this.starts = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, AtomicRateLimiter> eldest) {
                return size() > maxPrincipals;
            }
        };
        this.admitted = decisions(meters, "admitted");
        this.rateLimited = decisions(meters, "rate_limited");
        this.tooManyStreams = decisions(meters, "too_many_streams");
    }

    private static Counter decisions(MeterRegistry meters, String outcome) {
        return Counter.builder("runrelay.fair.use")
                .description("Fair-use decisions on streams and run starts, by outcome")
                .tag("outcome", outcome)
                .register(meters);
    }

    @Override
    public StreamSlot admit(Owner owner, boolean startsRun) {
        String name = owner.name();
        AtomicInteger count = streams.compute(name, (key, current) -> {
            AtomicInteger held = current == null ? new AtomicInteger() : current;
            held.incrementAndGet();
            return held;
        });
        if (count.get() > maxStreams) {
            release(name);
            tooManyStreams.increment();
            throw new RunRelayException(ErrorCode.RATE_LIMITED,
                    "You already have " + maxStreams + " streams running; wait for one to end.",
                    STREAM_RETRY_AFTER, null, true, null);
        }
        if (startsRun) {
            AtomicRateLimiter limiter = limiterOf(name);
            if (!limiter.acquirePermission()) {
                release(name);
                rateLimited.increment();
                long nanos = Math.max(limiter.getDetailedMetrics().getNanosToWait(), 0);
                Duration retryAfter = Duration.ofMillis(Math.max(1, (nanos + 999_999) / 1_000_000));
                throw new RunRelayException(ErrorCode.RATE_LIMITED,
                        "You are starting runs too fast; try again later.", retryAfter, null, true, null);
            }
        }
        admitted.increment();
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(name);
            }
        };
    }

    /** Streams {@code principal} holds now (for tests and diagnostics). */
    int streamsOf(String principal) {
        AtomicInteger count = streams.get(principal);
        return count == null ? 0 : count.get();
    }

    private void release(String name) {
        streams.computeIfPresent(name, (key, held) -> held.decrementAndGet() <= 0 ? null : held);
    }

    private AtomicRateLimiter limiterOf(String name) {
        synchronized (starts) {
            return starts.computeIfAbsent(name, key -> new AtomicRateLimiter("runs-of-principal", startsConfig));
        }
    }
}
