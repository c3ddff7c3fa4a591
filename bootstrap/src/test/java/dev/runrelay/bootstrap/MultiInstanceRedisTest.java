package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.responses.FakeResponsesScenario;
import dev.runrelay.adapter.openai.responses.FakeResponsesServer;
import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
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
 * Two RunRelay instances (two application contexts, each with its own server, provider client and Redis
 * connection) on one real Redis with {@code runrelay.store=redis} and the openai (Responses) provider
 * against one fake Responses server: what one instance wrote, the other reads, resumes and updates.
 */
class MultiInstanceRedisTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final FakeResponsesServer FAKE = FakeResponsesServer.start();
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
        if (instanceA.isActive()) {
            instanceA.close();
        }
        instanceB.close();
        FAKE.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RunsWebSocketTestClient::close);
    }

    static ConfigurableApplicationContext start() {
        RedisTestServer redis = RedisTestServer.shared();
        return start(redis.port(), FAKE.baseUrl());
    }

    /** An instance on Redis at {@code redisPort} (loopback) and the Responses API at {@code baseUrl}. */
    static ConfigurableApplicationContext start(int redisPort, String baseUrl) {
        return RunRelayInstances.start(RunRelayInstances.with(
                RunRelayInstances.redisStore(RedisTestServer.shared().host(), redisPort, PREFIX),
                "--runrelay.provider=openai",
                "--runrelay.openai.api-key=sk-test-not-a-real-key",
                "--runrelay.openai.base-url=" + baseUrl,
                "--runrelay.websocket.resume-grace=10s"));
    }

    private RunsWebSocketTestClient connect(ConfigurableApplicationContext instance) {
        var client = RunRelayInstances.connect(instance, null);
        clients.add(client);
        return client;
    }

    @Test
    void socketToAClosesMidStream_resumeThroughB_everyDeltaOnce_andTheEnd() {
        FAKE.enqueue(FakeResponsesScenario.text(120, Duration.ofMillis(15)));
        var onA = connect(instanceA);
        onA.send("""
                {"type":"run","requestId":"r1","assistantId":"default","input":"Hello"}""");
        List<JsonNode> before = ResumeAssertions.framesUntilChunks(onA, "r1", 10, TIMEOUT);
        onA.abort();

        var onB = connect(instanceB);
        onB.send("""
                {"type":"resume","requestId":"onB","runId":"%s","afterSeq":%d}"""
                .formatted(text(before.getLast(), "runId"), before.getLast().path("seq").asLong()));
        List<JsonNode> after = onB.stream("onB", TIMEOUT);

        ResumeAssertions.assertContinues(before, after);
        assertThat(text(after.getLast(), "status")).isEqualTo("completed");
        ResumeAssertions.assertTextComplete(before, after);
        long chunks = before.stream().filter(f -> "chunk".equals(text(f, "type"))).count()
                + after.stream().filter(f -> "chunk".equals(text(f, "type"))).count();
        assertThat(chunks).as("every delta exactly once").isEqualTo(120);
    }

    @Test
    void aRunStartedThroughA_isReadAndUpdatedThroughB() {
        FAKE.enqueue(FakeResponsesScenario.text(5, Duration.ofMillis(1)));
        var onA = connect(instanceA);
        onA.send("""
                {"type":"run","requestId":"r1","assistantId":"default","input":"Hello"}""");
        JsonNode end = onA.stream("r1", TIMEOUT).getLast();
        String threadId = text(end, "threadId");
        String runId = text(end, "runId");

        var onB = connect(instanceB);
        onB.send("""
                {"type":"get_run","requestId":"g1","threadId":"%s","runId":"%s"}""".formatted(threadId, runId));
        JsonNode readThroughB = onB.reply("g1");
        onB.send("""
                {"type":"update_run","requestId":"u1","threadId":"%s","runId":"%s","metadata":{"reviewed":"by-b"}}"""
                .formatted(threadId, runId));
        JsonNode updatedThroughB = onB.reply("u1");
        onA.send("""
                {"type":"get_run","requestId":"g2","threadId":"%s","runId":"%s"}""".formatted(threadId, runId));
        JsonNode readBackThroughA = onA.reply("g2");

        assertThat(text(readThroughB, "type")).as("%s", readThroughB).isEqualTo("result");
        assertThat(text(readThroughB.path("data"), "status")).isEqualTo("completed");
        assertThat(text(updatedThroughB, "type")).as("%s", updatedThroughB).isEqualTo("result");
        assertThat(text(readBackThroughA.path("data").path("metadata"), "reviewed")).isEqualTo("by-b");
    }

    /**
     * Instance A dies mid-stream: it loses Redis and the Responses API at once, like a crashed process
     * (its connections go through proxies that are cut; nothing more of it reaches either), and its
     * context is closed afterwards. The client resumes through B: once A's lease has lapsed, B re-attaches
     * to the background response and the resumed stream goes on, seq after seq, to {@code end completed}
     * with every delta exactly once (docs/adr/0025).
     */
    @Test
    void instanceADiesMidStream_resumeThroughB_takesTheResponseOver_everyDeltaOnce_andTheEnd() {
        RedisTestServer redis = RedisTestServer.shared();
        URI fake = URI.create(FAKE.baseUrl());
        try (var redisLink = CuttableTcpProxy.to(redis.host(), redis.port());
                var providerLink = CuttableTcpProxy.to(fake.getHost(), fake.getPort())) {
            ConfigurableApplicationContext doomed = start(redisLink.port(),
                    "http://127.0.0.1:" + providerLink.port() + fake.getPath());
            try {
                FAKE.enqueue(FakeResponsesScenario.text(400, Duration.ofMillis(20)));
                var onDoomed = connect(doomed);
                onDoomed.send("""
                        {"type":"run","requestId":"r1","assistantId":"default","input":"Hello"}""");
                List<JsonNode> before = ResumeAssertions.framesUntilChunks(onDoomed, "r1", 10, TIMEOUT);
                // A dies once its log holds what its client saw (a client ahead of the log is refused:
                // what it saw beyond the log cannot be lined up with what a new reader of the provider sends).
                RunRelayInstances.awaitLogged(instanceB, text(before.getLast(), "runId"), before.getLast().path("seq").asLong(), TIMEOUT);
                redisLink.cut();
                providerLink.cut();
                onDoomed.abort();

                var onB = connect(instanceB);
                onB.send("""
                        {"type":"resume","requestId":"onB","runId":"%s","afterSeq":%d}"""
                        .formatted(text(before.getLast(), "runId"), before.getLast().path("seq").asLong()));
                List<JsonNode> after = onB.stream("onB", TIMEOUT);

                ResumeAssertions.assertContinues(before, after);
                assertThat(text(after.getLast(), "status")).as("%s", after.getLast()).isEqualTo("completed");
                assertThat(after.getLast().has("error")).as("%s", after.getLast()).isFalse();
                ResumeAssertions.assertTextComplete(before, after);
                long chunks = before.stream().filter(f -> "chunk".equals(text(f, "type"))).count()
                        + after.stream().filter(f -> "chunk".equals(text(f, "type"))).count();
                assertThat(chunks).as("every delta exactly once").isEqualTo(400);
            } finally {
                doomed.close();
            }
        }
    }
}
