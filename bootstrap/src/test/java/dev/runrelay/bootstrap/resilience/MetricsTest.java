package dev.runrelay.bootstrap.resilience;

import static dev.runrelay.bootstrap.resilience.GuardedCallTest.CREATE;
import static dev.runrelay.bootstrap.resilience.GuardedCallTest.RETRIEVE;
import static dev.runrelay.bootstrap.resilience.ResilienceWiring.flux;
import static dev.runrelay.bootstrap.resilience.ScriptedProvider.fail;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.domain.port.Provider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Every call is measured per operation and outcome, and the meters reach Prometheus. */
class MetricsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ScriptedProvider provider = new ScriptedProvider();

    @Test
    void callsAreMeasuredPerOperationAndErrorCode_retriesPerCode() {
        provider.then(fail(FakeSdk.http(404)), fail(FakeSdk.http(503)));
        try (ResilienceWiring wiring = ResilienceWiring.around(provider)) {
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE))).expectError().verify(TIMEOUT);
            StepVerifier.create(Mono.fromCompletionStage(wiring.runs.retrieve(RETRIEVE)))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
            StepVerifier.create(flux(wiring.streams.createAndStream(CREATE)))
                    .expectNextCount(ScriptedProvider.TEXT_STREAM.size())
                    .expectComplete()
                    .verify(TIMEOUT);

            MeterRegistry meters = wiring.meters;
            assertThat(calls(meters, "runs.retrieve", "error", "not_found")).isEqualTo(1);
            assertThat(calls(meters, "runs.retrieve", "success", "none")).isEqualTo(1);
            assertThat(calls(meters, "streams.createAndStream", "success", "none")).isEqualTo(1);
            assertThat(meters.get(FailureReporter.RETRIES)
                            .tags("provider", "fake", "operation", "runs.retrieve", "code", "provider_unavailable")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void withBootMetrics_ourAndResilience4jMetersAppearInThePrometheusScrape() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class,
                        PrometheusMetricsExportAutoConfiguration.class))
                .withUserConfiguration(ResilienceConfiguration.class)
                .withBean(Provider.class, provider::provider)
                .run(context -> {
                    StepVerifier.create(Mono.fromCompletionStage(
                                    context.getBean(dev.runrelay.domain.port.RunPort.class).retrieve(RETRIEVE)))
                            .expectNextCount(1)
                            .expectComplete()
                            .verify(TIMEOUT);
                    String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
                    assertThat(scrape)
                            .contains("runrelay_provider_calls_seconds_count{code=\"none\",operation=\"runs.retrieve\"")
                            .contains("resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"runs.retrieve\"}")
                            .contains("resilience4j_circuitbreaker_state{name=\"fake\",state=\"closed\"}")
                            .contains("resilience4j_bulkhead_max_allowed_concurrent_calls{name=\"fake-upstream-streams\"}");
                });
    }

    private static double calls(MeterRegistry meters, String operation, String outcome, String code) {
        return meters.get(FailureReporter.CALLS)
                .tags("provider", "fake", "operation", operation, "outcome", outcome, "code", code)
                .timer()
                .count();
    }
}
