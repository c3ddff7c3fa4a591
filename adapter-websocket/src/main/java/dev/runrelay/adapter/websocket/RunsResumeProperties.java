package dev.runrelay.adapter.websocket;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How a stream outlives its socket, bound under {@code runrelay.websocket}.
 *
 * @param resumeGrace how long a run whose socket closed keeps streaming into its log, waiting for a client
 *     to {@code resume} it; cancelled at the provider (when {@code cancel-runs-on-disconnect}) only if nobody
 *     resumed it in that time. 0 (the default) keeps the old behaviour: a closed socket cancels at once.
 */
@ConfigurationProperties("runrelay.websocket")
public record RunsResumeProperties(@DefaultValue("0s") Duration resumeGrace) {

    public RunsResumeProperties {
        if (resumeGrace.isNegative()) {
            throw new IllegalArgumentException("runrelay.websocket.resume-grace must not be negative");
        }
    }

    public static RunsResumeProperties defaults() {
        return new RunsResumeProperties(Duration.ZERO);
    }
}
