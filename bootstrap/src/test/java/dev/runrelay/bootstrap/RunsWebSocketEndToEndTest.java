package dev.runrelay.bootstrap;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** The WebSocket contract and more with the sandbox provider: the assembled app, sandbox provider, guarded ports, use cases and the real WebSocket, end to end. */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "server.address=127.0.0.1",
            "runrelay.provider=sandbox",
            "runrelay.sandbox.deltas-per-second=100"
        })
class RunsWebSocketEndToEndTest extends RunsWebSocketContract {

    @Override
    String assistantId() {
        return "asst_demo";
    }

    @Override
    void prepareTextRun() {
        // The sandbox plays a plain answer for "Hello there".
    }

    @Override
    void prepareFunctionCall() {
        // The sandbox plays a get_weather call for any input with "weather".
    }

    @Test
    void plainRun_streamsTextInChunks_andEndsCompleted() {
        client.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_demo","input":"Hello there"}""");
        List<JsonNode> stream = client.stream("r1", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(types(stream)).startsWith("status", "status").contains("start", "chunk", "message_done");
        assertThat(stream.stream().filter(frame -> "chunk".equals(text(frame, "type"))).count()).isGreaterThan(10);
        JsonNode done = stream.stream().filter(frame -> "message_done".equals(text(frame, "type"))).findFirst()
                .orElseThrow();
        String chunks = stream.stream().filter(frame -> "chunk".equals(text(frame, "type")))
                .map(frame -> text(frame, "message")).reduce("", String::concat);
        assertThat(text(done, "text")).isEqualTo(chunks).contains("Hello there");
        JsonNode end = stream.getLast();
        assertThat(text(end, "status")).isEqualTo("completed");
        assertThat(end.path("usage").path("totalTokens").asLong()).isPositive();
        assertThat(text(end, "threadId")).startsWith("thread_");
        assertThat(text(end, "runId")).startsWith("run_");
    }

    @Test
    void codeRun_streamsToolCallCodeInputAndOutput() {
        client.send("""
                {"type":"run","requestId":"c1","assistantId":"asst_demo","input":"run some python code"}""");
        List<JsonNode> stream = client.stream("c1", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(types(stream)).contains("tool_call", "code_input", "code_output", "chunk");
        JsonNode toolCall = stream.stream().filter(frame -> "tool_call".equals(text(frame, "type"))).findFirst()
                .orElseThrow();
        assertThat(text(toolCall, "message")).isEqualTo("code_interpreter");
        assertThat(stream.stream().filter(frame -> "code_output".equals(text(frame, "type")))
                .map(frame -> text(frame, "message")).findFirst().orElseThrow()).contains("Sum of squares: 55");
        assertThat(text(stream.getLast(), "status")).isEqualTo("completed");
    }

    @Test
    void cancelMidStream_endsTheStreamCancelled() {
        client.send("""
                {"type":"run","requestId":"l1","assistantId":"asst_demo","input":"tell me a long story"}""");
        JsonNode firstChunk = client.awaitFrame(
                frame -> "l1".equals(text(frame, "requestId")) && "chunk".equals(text(frame, "type")), TIMEOUT);
        client.send("""
                {"type":"cancel","requestId":"x1","threadId":"%s","runId":"%s"}"""
                .formatted(text(firstChunk, "threadId"), text(firstChunk, "runId")));
        List<JsonNode> stream = client.stream("l1", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("cancelled");
        assertThat(stream.stream().filter(frame -> "status".equals(text(frame, "type")))
                .map(frame -> text(frame, "status")).toList()).contains("cancelling", "cancelled");
        JsonNode done = stream.stream().filter(frame -> "message_done".equals(text(frame, "type"))).findFirst()
                .orElseThrow();
        assertThat(done.path("incomplete").asBoolean()).isTrue();
    }

    @Test
    void cancelMidStream_ofALaterRunOnTheSameThread_endsTheStreamCancelled() {
        client.send("""
                {"type":"run","requestId":"t1","assistantId":"asst_demo","input":"Hello"}""");
        String threadId = text(client.stream("t1", TIMEOUT).getLast(), "threadId");
        client.send("""
                {"type":"run","requestId":"t2","assistantId":"asst_demo","threadId":"%s","input":"a long story"}"""
                .formatted(threadId));
        JsonNode chunk = null;
        for (int i = 0; i < 5; i++) {
            chunk = client.awaitFrame(
                    frame -> "t2".equals(text(frame, "requestId")) && "chunk".equals(text(frame, "type")), TIMEOUT);
        }
        client.send("""
                {"type":"cancel","requestId":"t3","threadId":"%s","runId":"%s"}"""
                .formatted(threadId, text(chunk, "runId")));
        assertThat(text(client.reply("t3").path("data"), "status")).isIn("cancelling", "cancelled");
        List<JsonNode> stream = client.stream("t2", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("cancelled");
    }

    @Test
    void failingRun_endsFailed_withTheProvidersError() {
        client.send("""
                {"type":"run","requestId":"f1","assistantId":"asst_demo","input":"please fail"}""");
        List<JsonNode> stream = client.stream("f1", TIMEOUT);
        assertWellFormedStream(stream);
        assertThat(text(stream.getLast(), "status")).isEqualTo("failed");
        JsonNode failed = stream.stream()
                .filter(frame -> "status".equals(text(frame, "type")) && "failed".equals(text(frame, "status")))
                .findFirst().orElseThrow();
        assertThat(text(failed.path("lastError"), "code")).isEqualTo("server_error");
    }

    @Test
    void runsAndStepsCanBeReadBack_andAgreeWithTheStream() {
        client.send("""
                {"type":"run","requestId":"s1","assistantId":"asst_demo","input":"code please"}""");
        List<JsonNode> stream = client.stream("s1", TIMEOUT);
        String threadId = text(stream.getLast(), "threadId");
        String runId = text(stream.getLast(), "runId");
        client.send("""
                {"type":"get_run","requestId":"s2","threadId":"%s","runId":"%s"}""".formatted(threadId, runId));
        JsonNode run = client.reply("s2");
        assertThat(text(run, "type")).isEqualTo("result");
        assertThat(text(run.path("data"), "status")).isEqualTo("completed");
        client.send("""
                {"type":"list_steps","requestId":"s3","threadId":"%s","runId":"%s"}""".formatted(threadId, runId));
        JsonNode steps = client.reply("s3");
        assertThat(text(steps, "type")).isEqualTo("result");
        assertThat(steps.toString()).contains("code_interpreter", "message_creation");
    }
}
