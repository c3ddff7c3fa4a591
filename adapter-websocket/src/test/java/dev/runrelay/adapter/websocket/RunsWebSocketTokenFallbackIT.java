package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.handshakeStatus;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code RUNRELAY_WS_TOKEN} is honoured when the property is not set. (Its own class: closing a Spring Boot
 * Reactor Netty server disposes the JVM-wide Reactor Netty resources, so servers must not overlap a close.)
 */
class RunsWebSocketTokenFallbackIT {

    @Test
    void tokenFromRunrelayWsToken_isRequired() {
        // Spring's Environment resolves the name from OS variables, system properties and app properties alike.
        try (var server = TestServer.start("RUNRELAY_WS_TOKEN=from-env")) {
            assertThat(handshakeStatus(server.uri(), Map.of())).isEqualTo(401);
            assertThat(handshakeStatus(server.uri("access_token=from-env"), Map.of())).isEqualTo(101);
        }
    }
}
