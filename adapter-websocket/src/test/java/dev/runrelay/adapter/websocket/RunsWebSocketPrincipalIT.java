package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.domain.owner.Owner;
import org.junit.jupiter.api.Test;

/**
 * The principal the handshake authenticated is the one every request of the socket acts as: the use cases
 * are asked for that caller's view ({@code actAs}), never the plain ones.
 */
class RunsWebSocketPrincipalIT {

    @Test
    void tokenMode_socketActsAsThePrincipalToken() {
        try (var server = TestServer.start("runrelay.auth.mode=token", "runrelay.websocket.token=shared-secret");
                var client = RunsWebSocketTestClient.connect(server.uri("access_token=shared-secret"))) {
            client.send("""
                    {"type":"get_run","requestId":"g1","threadId":"thread_1","runId":"run_1"}""");

            assertThat(text(client.reply("g1"), "type")).isEqualTo("result");
            assertThat(server.fakes.callers).containsExactly(new Owner(RunsSecurityConfiguration.TOKEN_PRINCIPAL));
        }
    }
}
