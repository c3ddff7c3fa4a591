package dev.runrelay.bootstrap.access;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Fair use per principal, bound under {@code runrelay.fair-use} (README "Authentication").
 *
 * @param maxStreamsPerPrincipal concurrent streams one principal may have across all its connections
 * @param runsPerPeriod runs one principal may start per {@code period}
 * @param period the rate limiter's refresh period
 * @param maxTrackedPrincipals rate limiters kept in memory (most recently seen principals)
 * @param ownershipCapacity thread and run owner records the embedded store keeps (each kind)
 */
@ConfigurationProperties("runrelay.fair-use")
public record FairUseProperties(
        @DefaultValue("8") int maxStreamsPerPrincipal,
        @DefaultValue("30") int runsPerPeriod,
        @DefaultValue("1m") Duration period,
        @DefaultValue("10000") int maxTrackedPrincipals,
        @DefaultValue("200000") int ownershipCapacity) {

    public FairUseProperties {
        if (maxStreamsPerPrincipal < 1 || runsPerPeriod < 1 || maxTrackedPrincipals < 1 || ownershipCapacity < 1) {
            throw new IllegalArgumentException("runrelay.fair-use limits must be at least 1");
        }
        if (period == null || period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("runrelay.fair-use.period must be positive");
        }
    }
}
