package dev.runrelay.bootstrap.access;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import tools.jackson.databind.JsonNode;

/**
 * Who may see a run, over real sockets in {@code jwt} mode, whichever provider runs behind the gateway:
 * alice's thread and run do not exist for bob through any message type (each answers {@code not_found},
 * as an unknown id does, {@code resume} included), and bob's lists never show alice's runs. Subclasses choose the provider.
 */
abstract class RunOwnershipContract {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    /** One for the whole test JVM: Spring caches the contexts that point at it. */
    static final JwtIssuer ISSUER = JwtIssuer.start();

    @LocalServerPort
    int port;

    private final List<RunsWebSocketTestClient> clients = new ArrayList<>();

    static void jwtMode(DynamicPropertyRegistry registry) {
        registry.add("runrelay.auth.mode", () -> "jwt");
        registry.add("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", ISSUER::jwkSetUri);
        registry.add("spring.security.oauth2.resourceserver.jwt.issuer-uri", ISSUER::issuer);
    }

    @AfterEach
    void disconnect() {
        clients.forEach(RunsWebSocketTestClient::close);
    }

    /** The assistant id the provider knows. */
    abstract String assistantId();

    /** Makes the provider answer the next run with a text answer. */
    abstract void prepareTextRun();

    /**
     * Whether the provider (or its fake) also answers reads and a second, independent thread; the fixture
     * based Assistants fake replays fixed ids, so it proves the refusals only.
     */
    boolean answersReadsAndNewThreads() {
        return true;
    }

    RunsWebSocketTestClient connectAs(String subject) {
        var client = RunsWebSocketTestClient.connect(
                URI.create("ws://127.0.0.1:" + port + "/ws/runs?access_token=" + ISSUER.token(subject)));
        clients.add(client);
        return client;
    }

    /** A finished text run of {@code client}'s principal: its last frame (threadId, runId). */
    JsonNode finishedRun(RunsWebSocketTestClient client, String requestId) {
        prepareTextRun();
        client.send("""
                {"type":"run","requestId":"%s","assistantId":"%s","input":"Hello there"}"""
                .formatted(requestId, assistantId()));
        List<JsonNode> stream = client.stream(requestId, TIMEOUT);
        JsonNode end = stream.getLast();
        assertThat(text(end, "type")).as("stream of %s: %s", requestId, stream).isEqualTo("end");
        assertThat(text(end, "threadId")).isNotBlank();
        assertThat(text(end, "runId")).isNotBlank();
        return end;
    }

    @Test
    void anotherPrincipal_getsNotFound_throughEveryMessageType() {
        var alice = connectAs("alice");
        JsonNode run = finishedRun(alice, "a1");
        String thread = text(run, "threadId");
        String runId = text(run, "runId");
        var bob = connectAs("bob");

        List<String> refusedMessages = List.of(
                """
                {"type":"get_run","requestId":"b1","threadId":"%1$s","runId":"%2$s"}""",
                """
                {"type":"list_steps","requestId":"b2","threadId":"%1$s","runId":"%2$s"}""",
                """
                {"type":"get_step","requestId":"b3","threadId":"%1$s","runId":"%2$s","stepId":"step_1"}""",
                """
                {"type":"cancel","requestId":"b4","threadId":"%1$s","runId":"%2$s"}""",
                """
                {"type":"update_run","requestId":"b5","threadId":"%1$s","runId":"%2$s","metadata":{"k":"v"}}""",
                """
                {"type":"list_runs","requestId":"b6","threadId":"%1$s"}""",
                """
                {"type":"submit_tool_outputs","requestId":"b7","threadId":"%1$s","runId":"%2$s",
                 "toolOutputs":[{"toolCallId":"call_1","output":"x"}]}""",
                """
                {"type":"run","requestId":"b8","threadId":"%1$s","assistantId":"%3$s","input":"Tell me alice's secret"}""");
        String refusal = null;
        for (int i = 0; i < refusedMessages.size(); i++) {
            bob.send(refusedMessages.get(i).formatted(thread, runId, assistantId()));
            JsonNode reply = bob.reply("b" + (i + 1));
            refusal = text(reply, "message");
            assertThat(text(reply, "type")).as("reply to %s", refusedMessages.get(i)).isEqualTo("error");
            assertThat(text(reply, "code")).as("reply to %s", refusedMessages.get(i)).isEqualTo("not_found");
        }

        // The same refusal as for ids nobody ever used: nothing tells bob that alice's exist.
        bob.send("""
                {"type":"get_run","requestId":"b9","threadId":"thread_doesNotExist1","runId":"run_doesNotExist1"}""");
        JsonNode unknown = bob.reply("b9");
        assertThat(text(unknown, "code")).isEqualTo("not_found");
        assertThat(text(unknown, "message")).isEqualTo(refusal);
    }

    @Test
    void resume_ofAnotherPrincipalsRun_isNotFound_likeAnUnknownRun_andItsOwnerReplaysIt() {
        var alice = connectAs("alice");
        JsonNode run = finishedRun(alice, "r1");
        String runId = text(run, "runId");
        var bob = connectAs("bob");

        bob.send("""
                {"type":"resume","requestId":"r2","runId":"%s","afterSeq":0}""".formatted(runId));
        JsonNode refused = bob.reply("r2");
        assertThat(text(refused, "type")).as("%s", refused).isEqualTo("error");
        assertThat(text(refused, "code")).as("%s", refused).isEqualTo("not_found");
        assertThat(bob.frames()).as("nothing of alice's run reaches bob")
                .noneMatch(frame -> "chunk".equals(text(frame, "type")) || "end".equals(text(frame, "type")));
        bob.send("""
                {"type":"resume","requestId":"r3","runId":"run_doesNotExist1","afterSeq":0}""");
        JsonNode unknown = bob.reply("r3");
        assertThat(text(unknown, "code")).isEqualTo("not_found");
        assertThat(text(unknown, "message")).isEqualTo(text(refused, "message"));

        if (!answersReadsAndNewThreads()) {
            return;
        }
        alice.send("""
                {"type":"resume","requestId":"r4","runId":"%s","afterSeq":0}""".formatted(runId));
        List<JsonNode> replayed = alice.stream("r4", TIMEOUT);
        JsonNode end = replayed.getLast();
        assertThat(text(end, "type")).as("%s", replayed).isEqualTo("end");
        assertThat(text(end, "runId")).isEqualTo(runId);
        assertThat(text(end, "status")).isEqualTo(text(run, "status"));
    }

    @Test
    void owner_stillReadsItsOwnRun() {
        if (!answersReadsAndNewThreads()) {
            return;
        }
        var alice = connectAs("alice");
        JsonNode run = finishedRun(alice, "o1");
        alice.send("""
                {"type":"get_run","requestId":"o2","threadId":"%s","runId":"%s"}"""
                .formatted(text(run, "threadId"), text(run, "runId")));
        JsonNode reply = alice.reply("o2");
        assertThat(text(reply, "type")).as("%s", reply).isEqualTo("result");
        assertThat(reply.path("data").path("id").asString()).isEqualTo(text(run, "runId"));
    }

    @Test
    void listRuns_showsTheCallersRunsOnly() {
        if (!answersReadsAndNewThreads()) {
            return;
        }
        var alice = connectAs("alice");
        String aliceRun = text(finishedRun(alice, "l1"), "runId");
        var bob = connectAs("bob");
        JsonNode bobs = finishedRun(bob, "l2");

        bob.send("""
                {"type":"list_runs","requestId":"l3","threadId":"%s"}""".formatted(text(bobs, "threadId")));
        JsonNode page = bob.reply("l3");
        assertThat(text(page, "type")).as("%s", page).isEqualTo("result");
        List<String> listed = new ArrayList<>();
        page.path("data").path("data").forEach(listedRun -> listed.add(listedRun.path("id").asString()));
        assertThat(listed).contains(text(bobs, "runId")).doesNotContain(aliceRun);
    }
}
