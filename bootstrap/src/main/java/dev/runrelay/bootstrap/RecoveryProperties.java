package dev.runrelay.bootstrap;

import dev.runrelay.application.recovery.RecoverySettings;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How long the gateway keeps asking how a run stands after its stream broke, bound under
 * {@code runrelay.recovery}; both have defaults.
 *
 * @param pollInterval the wait between two retrievals of a run still going (default 500ms)
 * @param maxWait how long a run still going may take to finish before it is cancelled (default 5s)
 */
@ConfigurationProperties("runrelay.recovery")
public record RecoveryProperties(Duration pollInterval, Duration maxWait) {

    public RecoveryProperties {
        pollInterval = pollInterval == null ? RecoverySettings.DEFAULTS.pollInterval() : pollInterval;
        maxWait = maxWait == null ? RecoverySettings.DEFAULTS.maxWait() : maxWait;
    }

    RecoverySettings settings() {
        return new RecoverySettings(pollInterval, maxWait);
    }
}
