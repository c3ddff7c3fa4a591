package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * What a browser sees over {@code /ws/runs}, whichever provider the app runs: the same tests run once
 * per provider (sandbox, and both OpenAI providers against their fake servers). Subclasses start the
 * app with their provider and prepare the provider's answers; nothing outside configuration differs.
 */
abstract class RunsWebSocketContract {

    static final Duration TIMEOUT = Duration.ofSeconds(15);

    @LocalServerPort
    int port;

    RunsWebSocketTestClient client;

    /** The assistant id the provider knows. */
    abstract String assistantId();

    /** Makes the provider answer the next run with a text answer. */
    abstract void prepareTextRun();

    /** Makes the provider answer the next run with a function call, and its continuation after the outputs. */
    abstract void prepareFunctionCall();

    /** The thread the function-call run goes to, or null to create one with the run. */
    String functionCallThread() {
        return null;
    }

    @BeforeEach
    void connect() {
        client = RunsWebSocketTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/runs"));
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void textRun_streamsChunksThatMakeTheMessage_andEndsCompleted() {
        prepareTextRun();
        client.send("""
                {"type":"run","requestId":"r1","assistantId":"%s","input":"Hello there"}""".formatted(assistantId()));
        List<JsonNode> stream = client.stream("r1", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(types(stream)).contains("status", "start", "chunk", "message_done");
        String chunks = stream.stream().filter(frame -> "chunk".equals(text(frame, "type")))
                .map(frame -> text(frame, "message")).reduce("", String::concat);
        assertThat(chunks).isNotBlank();
        JsonNode done = stream.stream().filter(frame -> "message_done".equals(text(frame, "type"))).findFirst()
                .orElseThrow();
        assertThat(text(done, "text")).isEqualTo(chunks);
        JsonNode end = stream.getLast();
        assertThat(text(end, "status")).isEqualTo("completed");
        assertThat(text(end, "threadId")).isNotBlank();
        assertThat(text(end, "runId")).isNotBlank();
    }

    @Test
    void functionCall_answeredWithSubmitToolOutputs_completesTheRun() {
        prepareFunctionCall();
        String thread = functionCallThread();
        client.send("""
                {"type":"run","requestId":"w1","assistantId":"%s",%s"input":"What is the weather in Paris?"}"""
                .formatted(assistantId(), thread == null ? "" : "\"threadId\":\"" + thread + "\","));
        List<JsonNode> first = client.stream("w1", TIMEOUT);
        assertWellFormedStream(first);
        assertThat(types(first)).contains("tool_call", "function_call", "requires_action");
        assertThat(text(first.getLast(), "status")).isEqualTo("requires_action");
        JsonNode call = first.stream().filter(frame -> "requires_action".equals(text(frame, "type"))).findFirst()
                .orElseThrow().path("toolCalls").get(0);
        assertThat(text(call, "name")).isEqualTo("get_weather");
        assertThat(text(call, "arguments")).contains("Paris");

        client.send("""
                {"type":"submit_tool_outputs","requestId":"w2","threadId":"%s","runId":"%s",
                 "toolOutputs":[{"toolCallId":"%s","output":"sunny, 24 C"}]}"""
                .formatted(text(first.getLast(), "threadId"), text(first.getLast(), "runId"), text(call, "id")));
        List<JsonNode> second = client.stream("w2", TIMEOUT);
        assertWellFormedStream(second);
        assertThat(types(second)).contains("chunk", "message_done");
        assertThat(text(second.getLast(), "status")).isEqualTo("completed");
    }
}
