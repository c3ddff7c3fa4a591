package dev.runrelay.bootstrap.access;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.handshakeStatus;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.bootstrap.RunRelayApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code runrelay.auth.mode=jwt} at the handshake (401 before the upgrade for every bad token), a token that
 * expires while its socket is open, and the fair-use limits per principal, over real sockets with the sandbox.
 */
@SpringBootTest(
        classes = RunRelayApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=20",
            "runrelay.fair-use.max-streams-per-principal=1",
            "runrelay.fair-use.runs-per-period=2",
            "runrelay.fair-use.period=1h"
        })
class JwtModeTest {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) {
        RunOwnershipContract.jwtMode(registry);
    }

    private static JwtIssuer issuer() {
        return RunOwnershipContract.ISSUER;
    }

    private URI socket(String token) {
        return URI.create("ws://127.0.0.1:" + port + "/ws/runs" + (token == null ? "" : "?access_token=" + token));
    }

    @Test
    void handshake_withoutAValidToken_is401BeforeTheUpgrade() {
        assertThat(handshakeStatus(socket(null), Map.of())).as("no token").isEqualTo(401);
        assertThat(handshakeStatus(socket(issuer().token("erin", Duration.ofMinutes(-5))), Map.of()))
                .as("expired").isEqualTo(401);
        assertThat(handshakeStatus(socket(issuer().tokenWithWrongSignature("erin")), Map.of()))
                .as("wrong signature").isEqualTo(401);
        assertThat(handshakeStatus(socket(issuer().tokenFromOtherIssuer("erin")), Map.of()))
                .as("wrong issuer").isEqualTo(401);
        assertThat(handshakeStatus(socket("not.a.jwt"), Map.of())).as("garbage").isEqualTo(401);
    }

    @Test
    void handshake_withAValidToken_upgrades_fromTheQueryOrTheHeader() {
        assertThat(handshakeStatus(socket(issuer().token("erin")), Map.of())).isEqualTo(101);
        assertThat(handshakeStatus(socket(null), Map.of("Authorization", "Bearer " + issuer().token("erin"))))
                .isEqualTo(101);
    }

    @Test
    void tokenExpiringWhileOpen_endsNewRequestsWithUnauthorized() throws InterruptedException {
        try (var client = RunsWebSocketTestClient.connect(socket(issuer().token("frank", Duration.ofSeconds(2))))) {
            client.send("""
                    {"type":"ping","requestId":"p1"}""");
            assertThat(text(client.reply("p1"), "type")).isEqualTo("pong");
            Thread.sleep(2_500);
            client.send("""
                    {"type":"get_run","requestId":"g1","threadId":"thread_x","runId":"run_x"}""");
            JsonNode refused = client.reply("g1");
            assertThat(text(refused, "type")).isEqualTo("error");
            assertThat(text(refused, "code")).isEqualTo("unauthorized");
            assertThat(client.isOpen()).isTrue();
        }
    }

    @Test
    void concurrentStreams_areLimitedPerPrincipal_acrossConnections() {
        try (var first = RunsWebSocketTestClient.connect(socket(issuer().token("grace")));
                var second = RunsWebSocketTestClient.connect(socket(issuer().token("grace")));
                var other = RunsWebSocketTestClient.connect(socket(issuer().token("heidi")))) {
            first.send("""
                    {"type":"run","requestId":"s1","assistantId":"asst_demo","input":"Hello there"}""");
            first.awaitFrame(frame -> "s1".equals(text(frame, "requestId")) && "chunk".equals(text(frame, "type")),
                    TIMEOUT);

            second.send("""
                    {"type":"run","requestId":"s2","assistantId":"asst_demo","input":"Hello there"}""");
            JsonNode refused = second.stream("s2", TIMEOUT).getFirst();
            assertThat(text(refused, "type")).isEqualTo("error");
            assertThat(text(refused, "code")).isEqualTo("rate_limited");
            assertThat(refused.path("retryAfterMs").asLong()).isPositive();

            other.send("""
                    {"type":"run","requestId":"s3","assistantId":"asst_demo","input":"Hello there"}""");
            assertThat(text(other.stream("s3", TIMEOUT).getLast(), "status")).isEqualTo("completed");
            assertThat(text(first.stream("s1", TIMEOUT).getLast(), "status")).isEqualTo("completed");
        }
        assertThat(meters.counter("runrelay.fair.use", "outcome", "too_many_streams").count()).isPositive();
    }

    @Test
    void startingRuns_isRateLimitedPerPrincipal_withARetryAfter() {
        try (var client = RunsWebSocketTestClient.connect(socket(issuer().token("ivan")))) {
            for (String requestId : List.of("r1", "r2")) {
                client.send("""
                        {"type":"run","requestId":"%s","assistantId":"asst_demo","input":"Hello there"}""".formatted(requestId));
                assertThat(text(client.stream(requestId, TIMEOUT).getLast(), "status")).isEqualTo("completed");
            }
            client.send("""
                    {"type":"run","requestId":"r3","assistantId":"asst_demo","input":"Hello there"}""");
            JsonNode refused = client.stream("r3", TIMEOUT).getFirst();
            assertThat(text(refused, "code")).isEqualTo("rate_limited");
            assertThat(refused.path("retryable").asBoolean()).isTrue();
            assertThat(refused.path("retryAfterMs").asLong()).isGreaterThan(Duration.ofMinutes(30).toMillis());
        }
        assertThat(meters.counter("runrelay.fair.use", "outcome", "rate_limited").count()).isPositive();
    }
}
