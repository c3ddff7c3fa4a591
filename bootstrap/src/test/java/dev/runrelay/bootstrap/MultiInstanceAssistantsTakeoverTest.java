package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.openai.fake.FakeAssistantsServer.THREAD_AND_RUN;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.openai.fake.AssistantsJson;
import dev.runrelay.adapter.openai.fake.FakeAssistantsServer;
import dev.runrelay.adapter.openai.fake.FakeResponse;
import dev.runrelay.adapter.redis.testing.RedisTestServer;
import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Takeover with the {@code openai-assistants} provider (docs/adr/0025): instance A dies mid-stream (its
 * Redis and provider connections are cut like a crashed process's), the client resumes through B, and
 * B, once A's lease has lapsed, polls the run until it ends and delivers what A never sent: the rest of
 * the message's text, its message_done, the final status and the end, each once.
 */
class MultiInstanceAssistantsTakeoverTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final FakeAssistantsServer FAKE = FakeAssistantsServer.start();
    static final String PREFIX = "test:" + UUID.randomUUID() + ":";
    static final String THREAD = "thread_takeover";
    static final String RUN = "run_takeover";
    static final int DELTAS = 300;

    static ConfigurableApplicationContext instanceB;

    private final List<RunsWebSocketTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startB() {
        instanceB = start(RedisTestServer.shared().port(), FAKE.baseUrl());
    }

    @AfterAll
    static void stop() {
        instanceB.close();
        FAKE.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(RunsWebSocketTestClient::close);
    }

    static ConfigurableApplicationContext start(int redisPort, String baseUrl) {
        return RunRelayInstances.start(RunRelayInstances.with(
                RunRelayInstances.redisStore(RedisTestServer.shared().host(), redisPort, PREFIX),
                "--runrelay.provider=openai-assistants",
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
    void instanceADiesMidStream_resumeThroughB_pollsTheRun_andDeliversWhatIsMissing_once() {
        String fullText = Stream.iterate(0, i -> i + 1).limit(DELTAS)
                .map(i -> (i == 0 ? "Token" : " token") + i).reduce("", String::concat);
        FAKE.enqueue("POST", THREAD_AND_RUN, FakeResponse.sse(AssistantsJson.textRunFrames(THREAD, RUN, DELTAS, true))
                .every(Duration.ofMillis(20)));
        // The run goes on at the provider without its stream: the first poll finds it running, then done.
        String runPath = "/threads/" + THREAD + "/runs/" + RUN;
        FAKE.enqueue("GET", runPath, FakeResponse.json(200, AssistantsJson.run(RUN, THREAD, "in_progress", null)));
        FAKE.on("GET", runPath, FakeResponse.json(200,
                // run(…, extra) would add a second "usage" member, which openai-java refuses in a plain JSON body.
                AssistantsJson.run(RUN, THREAD, "completed", null)
                        .replace("\"usage\": null", AssistantsJson.usage(120, DELTAS * 2L))));
        String message = AssistantsJson.message("msg_" + RUN, RUN, THREAD, "completed", fullText);
        FAKE.on("GET", "/threads/" + THREAD + "/messages", FakeResponse.json(200,
                AssistantsJson.list(List.of(message), "msg_" + RUN, "msg_" + RUN, false)));

        RedisTestServer redis = RedisTestServer.shared();
        URI fake = URI.create(FAKE.baseUrl());
        try (var redisLink = CuttableTcpProxy.to(redis.host(), redis.port());
                var providerLink = CuttableTcpProxy.to(fake.getHost(), fake.getPort())) {
            ConfigurableApplicationContext doomed = start(redisLink.port(),
                    "http://127.0.0.1:" + providerLink.port() + fake.getPath());
            try {
                var onDoomed = connect(doomed);
                onDoomed.send("""
                        {"type":"run","requestId":"r1","assistantId":"asst_abc123","input":"Hello"}""");
                List<JsonNode> before = ResumeAssertions.framesUntilChunks(onDoomed, "r1", 10, TIMEOUT);
                // A dies once its log holds what its client saw (a client ahead of the log is refused:
                // what it saw beyond the log cannot be lined up with what a new reader of the provider sends).
                RunRelayInstances.awaitLogged(instanceB, RUN, before.getLast().path("seq").asLong(), TIMEOUT);
                redisLink.cut();
                providerLink.cut();
                onDoomed.abort();

                var onB = connect(instanceB);
                onB.send("""
                        {"type":"resume","requestId":"onB","runId":"%s","afterSeq":%d}"""
                        .formatted(RUN, before.getLast().path("seq").asLong()));
                List<JsonNode> after = onB.stream("onB", TIMEOUT);

                ResumeAssertions.assertContinues(before, after);
                JsonNode end = after.getLast();
                assertThat(text(end, "status")).as("%s", end).isEqualTo("completed");
                assertThat(end.has("error")).as("%s", end).isFalse();
                ResumeAssertions.assertTextComplete(before, after);
                List<JsonNode> all = Stream.concat(before.stream(), after.stream()).toList();
                assertThat(all.stream().filter(f -> "chunk".equals(text(f, "type")))
                        .map(f -> text(f, "message")).reduce("", String::concat))
                        .as("every character of the message exactly once").isEqualTo(fullText);
                assertThat(all.stream().filter(f -> "start".equals(text(f, "type")))).hasSize(1);
                assertThat(all.stream().filter(f -> "message_done".equals(text(f, "type")))).hasSize(1);
                assertThat(all.stream().filter(f -> "status".equals(text(f, "type")) && "in_progress".equals(text(f, "status"))))
                        .as("each status once").hasSize(1);
            } finally {
                doomed.close();
            }
        }
    }
}
