package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.handshakeStatus;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Origins, the shared token and idle sockets. */
class RunsWebSocketSecurityIT {

    private static final String TOKEN = "s3cret-token";
    private static TestServer guarded;
    private static TestServer open;

    @BeforeAll
    static void startServers() {
        guarded = TestServer.start("runrelay.websocket.token=" + TOKEN,
                "runrelay.websocket.allowed-origins=https://app.example.com");
        open = TestServer.start("runrelay.websocket.ping-interval=200ms", "runrelay.websocket.idle-timeout=1500ms");
    }

    @AfterAll
    static void stopServers() {
        guarded.close();
        open.close();
    }

    @Test
    void withoutToken_handshakeIsRefusedWith401() {
        assertThat(handshakeStatus(guarded.uri(), Map.of())).isEqualTo(401);
        assertThat(handshakeStatus(guarded.uri(), Map.of("Authorization", "Bearer wrong"))).isEqualTo(401);
        assertThat(handshakeStatus(guarded.uri("access_token=wrong"), Map.of())).isEqualTo(401);
    }

    @Test
    void withToken_asQueryParameterOrBearerHeader_handshakeSucceeds() {
        assertThat(handshakeStatus(guarded.uri("access_token=" + TOKEN), Map.of())).isEqualTo(101);
        assertThat(handshakeStatus(guarded.uri(), Map.of("Authorization", "Bearer " + TOKEN))).isEqualTo(101);
        try (var client = RunsWebSocketTestClient.connect(guarded.uri("access_token=" + TOKEN))) {
            client.send("{\"type\":\"ping\",\"requestId\":\"a\"}");
            assertThat(text(client.reply("a"), "type")).isEqualTo("pong");
        }
    }

    @Test
    void originNotAllowed_handshakeIsRefusedWith403() {
        assertThat(handshakeStatus(guarded.uri("access_token=" + TOKEN), Map.of("Origin", "https://evil.example.com")))
                .isEqualTo(403);
        assertThat(handshakeStatus(open.uri(), Map.of("Origin", "https://evil.example.com"))).isEqualTo(403);
        assertThat(handshakeStatus(open.uri(), Map.of("Origin", "null"))).isEqualTo(403);
    }

    @Test
    void allowedOrigin_ownOrigin_andLocalhostByDefault_areAccepted() {
        assertThat(handshakeStatus(guarded.uri("access_token=" + TOKEN), Map.of("Origin", "https://app.example.com")))
                .isEqualTo(101);
        assertThat(handshakeStatus(guarded.uri("access_token=" + TOKEN),
                Map.of("Origin", "http://127.0.0.1:" + guarded.port))).isEqualTo(101);
        assertThat(handshakeStatus(open.uri(), Map.of("Origin", "http://localhost:3000"))).isEqualTo(101);
    }

    @Test
    void clientAnsweringPings_staysConnectedPastTheIdleTimeout() throws Exception {
        try (var client = open.connect()) {
            Thread.sleep(3_000);

            assertThat(client.isOpen()).isTrue();
            assertThat(client.pingsReceived()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void silentClient_isClosedAfterTheIdleTimeout() {
        // Reactor Netty's client with handlePing(true) hands pings to us instead of answering them.
        Integer code = HttpClient.create()
                .websocket(WebsocketClientSpec.builder().handlePing(true).build())
                .uri(open.uri())
                .handle((in, out) -> Flux.merge(
                        in.receiveFrames().then(Mono.<Integer>empty()),
                        in.receiveCloseStatus().map(status -> status.code())))
                .next()
                .block(Duration.ofSeconds(10));

        assertThat(code).isEqualTo(RunsWebSocketHandler.IDLE_TIMEOUT.getCode());
    }
}
