package dev.runrelay.adapter.websocket;

import dev.runrelay.application.usecase.CancelRunUseCase;
import dev.runrelay.application.usecase.ListRunStepsUseCase;
import dev.runrelay.application.usecase.ListRunsUseCase;
import dev.runrelay.application.usecase.RetrieveRunStepUseCase;
import dev.runrelay.application.usecase.RetrieveRunUseCase;
import dev.runrelay.application.usecase.StartRunUseCase;
import dev.runrelay.application.usecase.StartThreadAndRunUseCase;
import dev.runrelay.application.usecase.SubmitToolOutputsUseCase;
import dev.runrelay.application.usecase.UpdateRunUseCase;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * The WebSocket adapter's public face: bootstrap imports this. It maps {@code runrelay.websocket.path}
 * (default {@code /ws/runs}) to the handshake gate and {@link RunsWebSocketHandler}, and closes the
 * sockets gracefully before the web server stops.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RunsWebSocketProperties.class)
public class RunsWebSocketConfiguration {

    /** The environment variable the shared token may come from when the property is not set. */
    public static final String TOKEN_VARIABLE = "RUNRELAY_WS_TOKEN";

    @Bean
    RunsWebSocketHandler runsWebSocketHandler(
            StartRunUseCase startRun,
            StartThreadAndRunUseCase startThreadAndRun,
            SubmitToolOutputsUseCase submitToolOutputs,
            CancelRunUseCase cancelRun,
            RetrieveRunUseCase retrieveRun,
            ListRunsUseCase listRuns,
            UpdateRunUseCase updateRun,
            ListRunStepsUseCase listRunSteps,
            RetrieveRunStepUseCase retrieveRunStep,
            RunsWebSocketProperties properties,
            RunsWebSocketMetrics metrics) {
        var handler = new RunsWebSocketHandler(startRun, startThreadAndRun, submitToolOutputs, cancelRun, retrieveRun,
                listRuns, updateRun, listRunSteps, retrieveRunStep, properties, metrics);
        metrics.watchConnections(handler::openConnections);
        return handler;
    }

    /** The app's registries (actuator); without them, private ones, so the adapter also runs alone. */
    @Bean
    RunsWebSocketMetrics runsWebSocketMetrics(
            ObjectProvider<MeterRegistry> meters, ObjectProvider<ObservationRegistry> observations) {
        return new RunsWebSocketMetrics(meters.getIfAvailable(SimpleMeterRegistry::new),
                observations.getIfAvailable(ObservationRegistry::create));
    }

    @Bean
    HandlerMapping runsWebSocketHandlerMapping(
            RunsWebSocketHandler handler, RunsWebSocketProperties properties, Environment environment) {
        RunsWebSocketProperties effective = properties.token() != null
                ? properties
                : properties.withToken(environment.getProperty(TOKEN_VARIABLE));
        int transportLimit = Math.toIntExact(effective.transportMaxFrameSize().toBytes());
        var upgrade = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(transportLimit)));
        var gate = new RunsHandshakeHandler(upgrade, handler, effective);
        // Before the annotated controllers, so nothing else answers the socket's path.
        return new SimpleUrlHandlerMapping(Map.of(effective.path(), gate), Ordered.HIGHEST_PRECEDENCE);
    }

    @Bean
    SmartLifecycle runsWebSocketShutdown(RunsWebSocketHandler handler, RunsWebSocketProperties properties) {
        return new RunsWebSocketShutdown(handler, properties.shutdownGracePeriod());
    }
}
