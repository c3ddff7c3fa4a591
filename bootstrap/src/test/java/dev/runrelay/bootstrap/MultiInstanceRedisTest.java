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
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
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
        return new SpringApplicationBuilder(RunRelayApplication.class)
                .web(WebApplicationType.REACTIVE)
                // Own event loops per instance: by default every context in a JVM shares Reactor Netty's
                // global resources, and closing one instance would stop the others' servers too.
                .initializers(context -> {
                    var resources = new ReactorResourceFactory();
                    resources.setUseGlobalResources(false);
                    context.getBeanFactory().registerSingleton("reactorResourceFactory", resources);
                })
                // Arguments, not default properties: they must win over application.yml (server.port: 8080).
                .run(
                        "--server.port=0",
                        "--server.address=127.0.0.1",
                        "--management.server.port=0",
                        "--management.server.address=127.0.0.1",
                        "--spring.main.banner-mode=off",
                        "--logging.level.root=WARN",
                        "--runrelay.provider=openai",
                        "--runrelay.openai.api-key=sk-test-not-a-real-key",
                        "--runrelay.openai.base-url=" + FAKE.baseUrl(),
                        "--runrelay.store=redis",
                        "--spring.data.redis.host=" + redis.host(),
                        "--spring.data.redis.port=" + redis.port(),
                        "--runrelay.redis-store.key-prefix=" + PREFIX,
                        "--runrelay.websocket.resume-grace=10s");
    }

    private RunsWebSocketTestClient connect(ConfigurableApplicationContext instance) {
        String port = instance.getEnvironment().getProperty("local.server.port");
        var client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"));
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
     * Instance A is closed mid-stream (its context, its provider client and so its upstream connection
     * are gone). Without a takeover (not built yet), the resumed stream on B gets every frame A logged,
     * once and in order, then, once A's lease has lapsed, {@code error resume_unavailable} and an end:
     * the frames after A's death are not recovered, and the client is not left waiting.
     */
    @Test
    void instanceAClosedMidStream_resumeThroughB_getsWhatALogged_onceAndInOrder_thenAnEnd() {
        ConfigurableApplicationContext doomed = start();
        FAKE.enqueue(FakeResponsesScenario.text(400, Duration.ofMillis(20)));
        var onDoomed = connect(doomed);
        onDoomed.send("""
                {"type":"run","requestId":"r1","assistantId":"default","input":"Hello"}""");
        List<JsonNode> before = ResumeAssertions.framesUntilChunks(onDoomed, "r1", 5, TIMEOUT);
        onDoomed.abort();
        doomed.close();

        var onB = connect(instanceB);
        onB.send("""
                {"type":"resume","requestId":"onB","runId":"%s","afterSeq":%d}"""
                .formatted(text(before.getLast(), "runId"), before.getLast().path("seq").asLong()));
        JsonNode first = onB.awaitFrame(frame -> "onB".equals(text(frame, "requestId")), TIMEOUT);
        if (!first.has("seq")) {
            // A died right after the last frame its client saw: the log holds nothing after afterSeq, and
            // with no instance to take the run over (not built) B refuses the resume outright.
            assertThat(text(first, "type")).isEqualTo("error");
            assertThat(text(first, "code")).isEqualTo("resume_unavailable");
            return;
        }
        List<JsonNode> after = onB.stream("onB", TIMEOUT);

        ResumeAssertions.assertContinues(before, after);
        assertThat(after.stream().filter(f -> "chunk".equals(text(f, "type"))).count() + 5).isLessThan(400);
        assertThat(text(after.getLast(), "error")).isIn("resume_unavailable", "stream_interrupted");
    }
}
