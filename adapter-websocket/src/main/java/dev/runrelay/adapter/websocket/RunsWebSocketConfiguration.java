package dev.runrelay.adapter.websocket;

import dev.runrelay.application.usecase.ActAsCallerUseCase;
import dev.runrelay.application.usecase.TakeOverRunUseCase;
import dev.runrelay.domain.port.RunEventLogPort;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
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
@EnableConfigurationProperties({RunsWebSocketProperties.class, RunsResumeProperties.class})
@Import(RunsSecurityConfiguration.class)
public class RunsWebSocketConfiguration {

    /** The environment variable the shared token may come from when the property is not set. */
    public static final String TOKEN_VARIABLE = "RUNRELAY_WS_TOKEN";

    @Bean
    RunsWebSocketHandler runsWebSocketHandler(ActAsCallerUseCase runs, RunsWebSocketProperties properties,
            ObjectProvider<RunEventLogPort> eventLog, RunsResumeProperties resume, RunsWebSocketMetrics metrics,
            ObjectProvider<TakeOverRunUseCase> takeover) {
        var handler = new RunsWebSocketHandler(runs, properties, eventLog.getIfAvailable(), resume, metrics,
                takeover.getIfAvailable());
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
    HandlerMapping runsWebSocketHandlerMapping(RunsWebSocketHandler handler, RunsWebSocketProperties properties) {
        int transportLimit = Math.toIntExact(properties.transportMaxFrameSize().toBytes());
        var upgrade = new HandshakeWebSocketService(new ReactorNettyRequestUpgradeStrategy(
                () -> WebsocketServerSpec.builder().maxFramePayloadLength(transportLimit)));
        var gate = new RunsHandshakeHandler(upgrade, handler, properties);
        // Before the annotated controllers, so nothing else answers the socket's path.
        return new SimpleUrlHandlerMapping(Map.of(properties.path(), gate), Ordered.HIGHEST_PRECEDENCE);
    }

    @Bean
    SmartLifecycle runsWebSocketShutdown(RunsWebSocketHandler handler, RunsWebSocketProperties properties) {
        return new RunsWebSocketShutdown(handler, properties.shutdownGracePeriod());
    }
}
