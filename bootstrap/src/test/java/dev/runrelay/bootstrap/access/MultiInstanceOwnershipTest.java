package dev.runrelay.bootstrap.access;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.bootstrap.RunRelayInstances;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Ownership across instances: two RunRelay instances in {@code jwt} mode on one real Redis
 * ({@code runrelay.store=redis}). The owner recorded by the instance that started a run is in force on
 * the other: there its owner resumes it, and another principal gets {@code not_found}.
 */
class MultiInstanceOwnershipTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final JwtIssuer ISSUER = RunOwnershipContract.ISSUER;
    static final String PREFIX = "test:" + UUID.randomUUID() + ":";

    static ConfigurableApplicationContext instanceA;
    static ConfigurableApplicationContext instanceB;

    private final List<RunsWebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startTwoInstances() {
        instanceA = start();
        instanceB = start();
    }

    @AfterAll
    static void stop() {
        instanceA.close();
        instanceB.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RunsWebSocketTestClient::close);
    }

    static ConfigurableApplicationContext start() {
        RedisTestServer redis = RedisTestServer.shared();
        return RunRelayInstances.start(RunRelayInstances.with(
                RunRelayInstances.redisStore(redis.host(), redis.port(), PREFIX),
                "--runrelay.provider=sandbox",
                "--runrelay.sandbox.deltas-per-second=2000",
                "--runrelay.auth.mode=jwt",
                "--spring.security.oauth2.resourceserver.jwt.jwk-set-uri=" + ISSUER.jwkSetUri(),
                "--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + ISSUER.issuer()));
    }

    private RunsWebSocketTestClient connect(ConfigurableApplicationContext instance, String subject) {
        var client = RunRelayInstances.connect(instance, "access_token=" + ISSUER.token(subject));
        clients.add(client);
        return client;
    }

    @Test
    void aRunStartedThroughA_isResumedByItsOwnerThroughB_andNotFoundForAnotherPrincipal() {
        var aliceOnA = connect(instanceA, "alice");
        aliceOnA.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"Hello there"}""");
        List<JsonNode> whole = aliceOnA.stream("r1", TIMEOUT);
        JsonNode end = whole.getLast();
        assertThat(text(end, "type")).as("%s", whole).isEqualTo("end");
        String runId = text(end, "runId");

        var bobOnB = connect(instanceB, "bob");
        bobOnB.send("""
                {"type":"resume","requestId":"b1","runId":"%s","afterSeq":0}""".formatted(runId));
        JsonNode refused = bobOnB.reply("b1");
        assertThat(text(refused, "type")).as("%s", refused).isEqualTo("error");
        assertThat(text(refused, "code")).as("%s", refused).isEqualTo("not_found");

        var aliceOnB = connect(instanceB, "alice");
        aliceOnB.send("""
                {"type":"resume","requestId":"a2","runId":"%s","afterSeq":0}""".formatted(runId));
        List<JsonNode> replayed = aliceOnB.stream("a2", TIMEOUT);
        assertThat(replayed).as("alice's whole stream again, through B").hasSize(whole.size());
        assertThat(text(replayed.getLast(), "type")).isEqualTo("end");
        assertThat(text(replayed.getLast(), "runId")).isEqualTo(runId);
    }
}
