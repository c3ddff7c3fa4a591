package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.error.ErrorCode;
import dev.runrelay.domain.error.RunRelayException;
import dev.runrelay.domain.error.ErrorTranslator;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunLedgerPort;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.port.RunStreamPort;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Guards the selected {@link Provider}'s driven ports with the error-handling aspect and exposes the
 * guarded {@link RunPort}, {@link RunStepPort} and {@link RunStreamPort}: the only port beans the use
 * cases see (docs/adr/0003). Properties under {@code runrelay.resilience}, see {@link ResilienceProperties}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ResilienceProperties.class)
public class ResilienceConfiguration {

    /** The provider-side failures the breaker counts; a client's own mistakes prove the provider healthy. */
    static final Set<ErrorCode> PROVIDER_FAILURES =
            EnumSet.of(ErrorCode.PROVIDER_UNAVAILABLE, ErrorCode.TIMEOUT, ErrorCode.INTERNAL);

    static final String STREAM_BULKHEAD = "upstream-streams";

    /** The name of the run ledger's breaker and meters. */
    static final String RUN_LEDGER = "run-ledger";

    @Bean
    RetryRegistry runRelayRetryRegistry() {
        return RetryRegistry.ofDefaults();
    }

    @Bean
    CircuitBreakerRegistry runRelayCircuitBreakerRegistry() {
        return CircuitBreakerRegistry.ofDefaults();
    }

    @Bean
    BulkheadRegistry runRelayBulkheadRegistry() {
        return BulkheadRegistry.ofDefaults();
    }

    // resilience4j's own meters (resilience4j_retry_calls, resilience4j_circuitbreaker_state, ...):
    // Boot's actuator binds every MeterBinder bean, so they appear at /actuator/prometheus.
    @Bean
    MeterBinder runRelayRetryMetrics(RetryRegistry runRelayRetryRegistry) {
        return TaggedRetryMetrics.ofRetryRegistry(runRelayRetryRegistry);
    }

    @Bean
    MeterBinder runRelayCircuitBreakerMetrics(CircuitBreakerRegistry runRelayCircuitBreakerRegistry) {
        return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(runRelayCircuitBreakerRegistry);
    }

    @Bean
    MeterBinder runRelayBulkheadMetrics(BulkheadRegistry runRelayBulkheadRegistry) {
        return TaggedBulkheadMetrics.ofBulkheadRegistry(runRelayBulkheadRegistry);
    }

    @Bean
    PortGuard.Policies runRelayPortPolicies(
            Provider provider,
            ResilienceProperties properties,
            RetryRegistry runRelayRetryRegistry,
            CircuitBreakerRegistry runRelayCircuitBreakerRegistry,
            BulkheadRegistry runRelayBulkheadRegistry,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return policies(
                provider,
                properties,
                runRelayRetryRegistry,
                runRelayCircuitBreakerRegistry,
                runRelayBulkheadRegistry,
                meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
    }

    // Primary: should an adapter also expose its raw port as a bean, the use cases still get the guarded one.
    @Bean
    @Primary
    RunPort guardedRunPort(PortGuard.Policies runRelayPortPolicies, Provider provider) {
        return runRelayPortPolicies.guard(RunPort.class, provider.runs(), "runs");
    }

    @Bean
    @Primary
    RunStepPort guardedRunStepPort(PortGuard.Policies runRelayPortPolicies, Provider provider) {
        return runRelayPortPolicies.guard(RunStepPort.class, provider.steps(), "steps");
    }

    @Bean
    @Primary
    RunStreamPort guardedRunStreamPort(PortGuard.Policies runRelayPortPolicies, Provider provider) {
        return runRelayPortPolicies.guard(RunStreamPort.class, provider.streams(), "streams");
    }

    /**
     * The run ledger goes through the aspect too (docs/adr/0020): every {@link RunLedgerPort} bean is
     * replaced by its guarded proxy before anyone (the Responses provider) is given it, with its own
     * breaker ({@value #RUN_LEDGER}) so a failing store does not open the provider's. Its failures are
     * {@link RunRelayException}s already or become {@code internal}; reads ({@code find}, {@code list})
     * are retried, compare-and-set writes only when provably not applied.
     */
    @Bean
    static BeanPostProcessor runRelayGuardedRunLedger(
            ObjectProvider<ResilienceProperties> properties,
            ObjectProvider<RetryRegistry> retries,
            ObjectProvider<CircuitBreakerRegistry> circuitBreakers,
            ObjectProvider<BulkheadRegistry> bulkheads,
            ObjectProvider<MeterRegistry> meterRegistry) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (!(bean instanceof RunLedgerPort ledger) || AopUtils.isAopProxy(bean)) {
                    return bean;
                }
                PortGuard.Policies policies = policies(RUN_LEDGER, failure -> Optional.empty(),
                        properties.getObject(), retries.getObject(), circuitBreakers.getObject(), bulkheads.getObject(),
                        meterRegistry.getIfAvailable(SimpleMeterRegistry::new));
                return policies.guard(RunLedgerPort.class, ledger, "ledger");
            }
        };
    }

    /** The policies of one provider, built from the properties; shared by all its guarded ports. */
    static PortGuard.Policies policies(
            Provider provider,
            ResilienceProperties properties,
            RetryRegistry retries,
            CircuitBreakerRegistry circuitBreakers,
            BulkheadRegistry bulkheads,
            MeterRegistry meters) {
        return policies(provider.name(), provider.errorTranslator(), properties, retries, circuitBreakers, bulkheads,
                meters);
    }

    /** The policies of one guarded dependency named {@code name} whose own failures {@code translator} knows. */
    static PortGuard.Policies policies(
            String name,
            ErrorTranslator translator,
            ResilienceProperties properties,
            RetryRegistry retries,
            CircuitBreakerRegistry circuitBreakers,
            BulkheadRegistry bulkheads,
            MeterRegistry meters) {
        ResilienceProperties.CircuitBreaker breaker = properties.circuitBreaker();
        CircuitBreakerConfig breakerConfig = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breaker.slidingWindowSize())
                .minimumNumberOfCalls(breaker.minimumNumberOfCalls())
                .failureRateThreshold(breaker.failureRateThreshold())
                .waitDurationInOpenState(breaker.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(breaker.permittedCallsInHalfOpenState())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .recordException(failure ->
                        failure instanceof RunRelayException domain && PROVIDER_FAILURES.contains(domain.code()))
                .build();
        BulkheadConfig bulkheadConfig = BulkheadConfig.custom()
                .maxConcurrentCalls(properties.bulkhead().maxConcurrentStreams())
                // Never wait for a permit: the caller may be a Netty event loop.
                .maxWaitDuration(Duration.ZERO)
                .build();
        return new PortGuard.Policies(
                properties,
                new FailureTranslation(translator),
                new FailureReporter(name, meters),
                retries,
                circuitBreakers.circuitBreaker(name, breakerConfig),
                bulkheads.bulkhead(name + "-" + STREAM_BULKHEAD, bulkheadConfig));
    }
}
