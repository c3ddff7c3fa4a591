package dev.runrelay.adapter.websocket.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The shared test client fails a test when a frame breaks docs/asyncapi.yaml: a server stub sends one
 * frame, conforming or not, and the client's awaits and close say so.
 */
class RunsWebSocketTestClientValidationIT {

    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    private URI serverSending(String frame) {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.ws("/ws/runs", (in, out) ->
                        out.sendString(Mono.just(frame)).then().then(in.receive().then())))
                .bindNow();
        return URI.create("ws://127.0.0.1:" + server.port() + "/ws/runs");
    }

    @Test
    void aReceivedFrameThatBreaksTheDocument_failsTheNextAwaitAndClose() {
        var client = RunsWebSocketTestClient.connect(
                serverSending("{\"type\":\"chunk\",\"requestId\":\"r1\",\"seq\":1,\"mesage\":\"typo\"}"));

        assertThatThrownBy(() -> client.awaitFrame(frame -> false, Duration.ofSeconds(5)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("do not match docs/asyncapi.yaml")
                .hasMessageContaining("mesage");
        assertThatThrownBy(client::close).isInstanceOf(AssertionError.class);
    }

    @Test
    void aConformingFrame_isReceivedAsUsual() {
        try (var client = RunsWebSocketTestClient.connect(
                serverSending("{\"type\":\"pong\",\"requestId\":\"p1\"}"))) {
            assertThat(RunsWebSocketTestClient.text(client.reply("p1"), "type")).isEqualTo("pong");
        }
    }

    @Test
    void sendingAFrameThatBreaksTheDocument_failsAtOnce_andBadInputMustReallyBeBad() {
        try (var client = RunsWebSocketTestClient.connect(serverSending("{\"type\":\"pong\"}"))) {
            assertThatThrownBy(() -> client.send("{\"type\":\"run\",\"requestId\":\"r1\",\"input\":\"no assistant\"}"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("assistantId");
            assertThatThrownBy(() -> client.sendNonConforming("{\"type\":\"ping\",\"requestId\":\"p1\"}"))
                    .isInstanceOf(AssertionError.class)
                    .hasMessageContaining("accepts");
            client.nextOfType("pong");
        }
    }
}
