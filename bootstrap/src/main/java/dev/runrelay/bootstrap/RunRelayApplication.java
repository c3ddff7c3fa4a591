package dev.runrelay.bootstrap;

import dev.runrelay.adapter.websocket.RunsWebSocketConfiguration;
import dev.runrelay.bootstrap.access.AccessConfiguration;
import dev.runrelay.bootstrap.resilience.ResilienceConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The composition root. No component scan: every bean of ours is built by an explicit
 * {@code @Bean} method in the configurations imported here (docs/adr/0004).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({
    ProviderConfiguration.class,
    StoreConfiguration.class,
    ResilienceConfiguration.class,
    UseCaseConfiguration.class,
    RunsWebSocketConfiguration.class,
    AccessConfiguration.class,
    NettyBuffersConfiguration.class
})
public class RunRelayApplication {

    public static void main(String[] args) {
        var application = new SpringApplication(RunRelayApplication.class);
        application.addListeners(new SpringAotFallback());
        if (Boolean.getBoolean(AotTrainingRun.PROPERTY)) {
            application.addListeners(new AotTrainingRun());
        }
        application.run(args);
    }
}
