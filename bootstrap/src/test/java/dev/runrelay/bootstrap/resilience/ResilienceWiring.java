package dev.runrelay.bootstrap.resilience;

import dev.runrelay.domain.event.RunEvent;
import dev.runrelay.domain.port.Provider;
import dev.runrelay.domain.port.RunPort;
import dev.runrelay.domain.port.RunStepPort;
import dev.runrelay.domain.port.RunStreamPort;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Flow;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * The real wiring under test: {@link ResilienceConfiguration} in a Spring context, bound to
 * {@code resilience-test.properties} (plus overrides), around a scripted fake provider.
 */
final class ResilienceWiring implements AutoCloseable {

    final AnnotationConfigApplicationContext context;
    final RunPort runs;
    final RunStepPort steps;
    final RunStreamPort streams;
    final MeterRegistry meters;

    private ResilienceWiring(AnnotationConfigApplicationContext context) {
        this.context = context;
        this.runs = context.getBean(RunPort.class);
        this.steps = context.getBean(RunStepPort.class);
        this.streams = context.getBean(RunStreamPort.class);
        this.meters = context.getBean(MeterRegistry.class);
    }

    static ResilienceWiring around(ScriptedProvider provider, String... propertyOverrides) {
        return around(provider.provider(), propertyOverrides);
    }

    static ResilienceWiring around(Provider provider, String... propertyOverrides) {
        return around(provider, context -> {}, propertyOverrides);
    }

    /** Like {@link #around(Provider, String...)}, with more beans registered by {@code moreBeans}. */
    static ResilienceWiring around(Provider provider, java.util.function.Consumer<AnnotationConfigApplicationContext> moreBeans,
            String... propertyOverrides) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        moreBeans.accept(context);
        List<String> properties = new ArrayList<>(testProperties());
        properties.addAll(List.of(propertyOverrides));
        TestPropertyValues.of(properties).applyTo(context);
        context.registerBean(Provider.class, () -> provider);
        context.registerBean(MeterRegistry.class, SimpleMeterRegistry::new);
        context.register(ResilienceConfiguration.class);
        context.refresh();
        return new ResilienceWiring(context);
    }

    CircuitBreaker circuitBreaker() {
        return context.getBean(CircuitBreakerRegistry.class).circuitBreaker("fake");
    }

    static Flux<RunEvent> flux(Flow.Publisher<RunEvent> publisher) {
        return JdkFlowAdapter.flowPublisherToFlux(publisher);
    }

    @Override
    public void close() {
        context.close();
    }

    private static List<String> testProperties() {
        Properties properties = new Properties();
        try (InputStream in = ResilienceWiring.class.getResourceAsStream("/resilience-test.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.stringPropertyNames().stream()
                .map(name -> name + "=" + properties.getProperty(name))
                .toList();
    }
}
