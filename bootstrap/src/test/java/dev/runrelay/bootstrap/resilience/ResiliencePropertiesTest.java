package dev.runrelay.bootstrap.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Binding of {@code runrelay.resilience.*}: defaults, overrides and per-operation overrides. */
class ResiliencePropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withBean(dev.runrelay.domain.port.Provider.class, () -> new ScriptedProvider().provider())
            .withUserConfiguration(ResilienceConfiguration.class);

    @Test
    void withoutProperties_everyPolicyHasItsDefault() {
        runner.run(context -> {
            ResilienceProperties properties = context.getBean(ResilienceProperties.class);
            assertThat(properties.retry().maxAttempts()).isEqualTo(3);
            assertThat(properties.retry().maxTotalWait()).isEqualTo(Duration.ofSeconds(20));
            assertThat(properties.timeouts().call()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.timeouts().firstEvent()).isEqualTo(Duration.ofSeconds(60));
            assertThat(properties.timeouts().idle()).isEqualTo(Duration.ofSeconds(120));
            assertThat(properties.bulkhead().maxConcurrentStreams()).isEqualTo(256);
            assertThat(properties.circuitBreaker().waitInOpenState()).isEqualTo(Duration.ofSeconds(30));
            assertThat(properties.operations()).isEmpty();
        });
    }

    @Test
    void propertiesAndPerOperationOverridesBind() {
        runner.withPropertyValues(
                        "runrelay.resilience.retry.max-attempts=5",
                        "runrelay.resilience.timeouts.idle=45s",
                        "runrelay.resilience.bulkhead.max-concurrent-streams=8",
                        "runrelay.resilience.operations[runs.update].idempotent=true",
                        "runrelay.resilience.operations[streams.createAndStream].first-event-timeout=90s")
                .run(context -> {
                    ResilienceProperties properties = context.getBean(ResilienceProperties.class);
                    assertThat(properties.retry().maxAttempts()).isEqualTo(5);
                    assertThat(properties.retry().initialBackoff()).isEqualTo(Duration.ofMillis(250));
                    assertThat(properties.timeouts().idle()).isEqualTo(Duration.ofSeconds(45));
                    assertThat(properties.bulkhead().maxConcurrentStreams()).isEqualTo(8);
                    assertThat(properties.override("runs.update").idempotent()).isTrue();
                    assertThat(properties.override("streams.createAndStream").firstEventTimeout())
                            .isEqualTo(Duration.ofSeconds(90));
                    assertThat(properties.override("runs.retrieve")).isEqualTo(ResilienceProperties.OperationOverride.NONE);
                });
    }

    @Test
    void zeroAttempts_isRefusedAtStartup() {
        runner.withPropertyValues("runrelay.resilience.retry.max-attempts=0")
                .run(context -> assertThat(context).hasFailed());
    }
}
