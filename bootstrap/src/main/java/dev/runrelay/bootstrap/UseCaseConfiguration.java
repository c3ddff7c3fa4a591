package dev.runrelay.bootstrap;

import dev.runrelay.application.recovery.RunRecovery;
import dev.runrelay.application.service.InspectRunStepsService;
import dev.runrelay.application.service.ManageRunService;
import dev.runrelay.application.service.StreamRunService;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.port.RunStreamPort;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The application services, built with {@code new} so the application layer carries no Spring. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RecoveryProperties.class)
class UseCaseConfiguration {

    /**
     * The streams recover through the guarded RunPort and RunStepPort: retrievals, cancels and the reading
     * of a final answer are retried, timed and translated. The recovery's log lines carry the stream's trace id.
     */
    @Bean
    StreamRunService streamRunService(
            RunStreamPort runStreams, RunPort runs, RunStepPort steps, RecoveryProperties recovery) {
        return new StreamRunService(runStreams, new RunRecovery(runs, steps, recovery.settings(), ObservationLogScope.INSTANCE));
    }

    @Bean
    ManageRunService manageRunService(RunPort runs) {
        return new ManageRunService(runs);
    }

    @Bean
    InspectRunStepsService inspectRunStepsService(RunStepPort steps) {
        return new InspectRunStepsService(steps);
    }
}
