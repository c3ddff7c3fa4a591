package dev.runrelay.bootstrap;

import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.port.RunStreamPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TEMPORARY: the provider's ports without the error-handling aspect, so the app runs until the
 * resilience branch's {@code ResilienceConfiguration} is merged. Delete this class then.
 */
@Configuration(proxyBeanMethods = false)
class UnguardedPortsConfiguration {

    @Bean
    RunPort runPort(Provider provider) {
        return provider.runs();
    }

    @Bean
    RunStepPort runStepPort(Provider provider) {
        return provider.steps();
    }

    @Bean
    RunStreamPort runStreamPort(Provider provider) {
        return provider.streams();
    }
}
