package dev.runrelay.application.recovery;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the gateway keeps asking how a run stands after its stream broke.
 *
 * @param pollInterval the wait between two retrievals of a run that is still going
 * @param maxWait how long a run that is still going may take to finish on its own before it is cancelled
 *     (nobody would see the rest of it)
 */
public record RecoverySettings(Duration pollInterval, Duration maxWait) {

    public static final RecoverySettings DEFAULTS = new RecoverySettings(Duration.ofMillis(500), Duration.ofSeconds(5));

    public RecoverySettings {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(maxWait, "maxWait");
        if (pollInterval.isNegative() || pollInterval.isZero() || maxWait.isNegative()) {
            throw new IllegalArgumentException("pollInterval must be positive and maxWait not negative");
        }
    }
}
