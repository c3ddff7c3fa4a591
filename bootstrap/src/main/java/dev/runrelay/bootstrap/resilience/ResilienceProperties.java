package dev.runrelay.bootstrap.resilience;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The policies guarding every provider call, bound under {@code runrelay.resilience}. Every value
 * has a default, so an empty configuration is valid.
 *
 * @param retry backoff and budget of retries (which errors are retried is fixed by the error model)
 * @param circuitBreaker the breaker of the selected provider
 * @param timeouts per-call and per-stream time limits
 * @param bulkhead the cap on concurrent upstream streams of this instance
 * @param operations per-operation overrides, keyed by operation name, e.g.
 *     {@code runrelay.resilience.operations[runs.retrieve].max-attempts=5}; operation names are
 *     {@code runs.<method>}, {@code steps.<method>} and {@code streams.<method>} after the port methods
 */
@ConfigurationProperties("runrelay.resilience")
public record ResilienceProperties(
        Retry retry,
        CircuitBreaker circuitBreaker,
        Timeouts timeouts,
        Bulkhead bulkhead,
        Map<String, OperationOverride> operations) {

    public ResilienceProperties {
        retry = retry == null ? new Retry(null, null, null, null, null, null) : retry;
        circuitBreaker = circuitBreaker == null ? new CircuitBreaker(null, null, null, null, null) : circuitBreaker;
        timeouts = timeouts == null ? new Timeouts(null, null, null) : timeouts;
        bulkhead = bulkhead == null ? new Bulkhead(null) : bulkhead;
        operations = operations == null ? Map.of() : Map.copyOf(operations);
    }

    /** All defaults. */
    public static ResilienceProperties defaults() {
        return new ResilienceProperties(null, null, null, null, null);
    }

    /** The override of {@code operation}, or one that overrides nothing. */
    OperationOverride override(String operation) {
        return operations.getOrDefault(operation, OperationOverride.NONE);
    }

    /**
     * @param maxAttempts attempts in total, the first included (1 disables retries)
     * @param initialBackoff wait before the first retry; doubled (see multiplier) for each next one
     * @param multiplier growth of the backoff per attempt
     * @param jitter randomisation factor of each backoff, 0 to 1 (0.5 = plus or minus half)
     * @param maxBackoff the longest single wait
     * @param maxTotalWait the most all waits of one call may add up to, {@code Retry-After} included;
     *     a retry that would exceed it is not made and the last error is returned at once
     */
    public record Retry(
            Integer maxAttempts,
            Duration initialBackoff,
            Double multiplier,
            Double jitter,
            Duration maxBackoff,
            Duration maxTotalWait) {
        public Retry {
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            initialBackoff = initialBackoff == null ? Duration.ofMillis(250) : initialBackoff;
            multiplier = multiplier == null ? 2.0 : multiplier;
            jitter = jitter == null ? 0.5 : jitter;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(5) : maxBackoff;
            maxTotalWait = maxTotalWait == null ? Duration.ofSeconds(20) : maxTotalWait;
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("runrelay.resilience.retry.max-attempts must be at least 1");
            }
        }
    }

    /**
     * A count-based breaker: it opens when at least {@code failureRateThreshold} percent of the last
     * {@code slidingWindowSize} calls (once {@code minimumNumberOfCalls} were made) failed on the
     * provider's side (provider_unavailable, timeout, internal).
     */
    public record CircuitBreaker(
            Float failureRateThreshold,
            Integer slidingWindowSize,
            Integer minimumNumberOfCalls,
            Duration waitInOpenState,
            Integer permittedCallsInHalfOpenState) {
        public CircuitBreaker {
            failureRateThreshold = failureRateThreshold == null ? 50f : failureRateThreshold;
            slidingWindowSize = slidingWindowSize == null ? 20 : slidingWindowSize;
            minimumNumberOfCalls = minimumNumberOfCalls == null ? 10 : minimumNumberOfCalls;
            waitInOpenState = waitInOpenState == null ? Duration.ofSeconds(30) : waitInOpenState;
            permittedCallsInHalfOpenState = permittedCallsInHalfOpenState == null ? 3 : permittedCallsInHalfOpenState;
        }
    }

    /**
     * @param call the longest one attempt of a request/response call may take
     * @param firstEvent the longest a stream may stay silent before its first event
     * @param idle the longest a started stream may stay silent between two events
     */
    public record Timeouts(Duration call, Duration firstEvent, Duration idle) {
        public Timeouts {
            call = call == null ? Duration.ofSeconds(30) : call;
            firstEvent = firstEvent == null ? Duration.ofSeconds(60) : firstEvent;
            idle = idle == null ? Duration.ofSeconds(120) : idle;
        }
    }

    /** @param maxConcurrentStreams upstream streams this instance serves at once; the next gets overloaded */
    public record Bulkhead(Integer maxConcurrentStreams) {
        public Bulkhead {
            maxConcurrentStreams = maxConcurrentStreams == null ? 256 : maxConcurrentStreams;
        }
    }

    /**
     * What one operation does differently; null fields keep the defaults.
     *
     * @param idempotent whether the operation may be retried whenever the error is retryable (reads);
     *     when false it is retried only if the provider provably did not process it. Defaults to true
     *     for methods named {@code retrieve*}, {@code list*}, {@code get*}, false otherwise.
     */
    public record OperationOverride(
            Integer maxAttempts,
            Duration callTimeout,
            Duration firstEventTimeout,
            Duration idleTimeout,
            Boolean idempotent) {
        static final OperationOverride NONE = new OperationOverride(null, null, null, null, null);
    }
}
