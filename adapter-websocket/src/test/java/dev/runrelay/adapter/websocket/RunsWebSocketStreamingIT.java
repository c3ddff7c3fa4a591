package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.assertWellFormedStream;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.types;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import dev.runrelay.domain.run.MessageInput;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Streamed runs and requests over a real socket against scripted use cases. */
class RunsWebSocketStreamingIT {

    private static TestServer server;
    private RunsWebSocketTestClient client;

    @BeforeAll
    static void startServer() {
        server = TestServer.start();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void connect() {
        client = server.connect();
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void textRun_onExistingThread_streamsTheOriginalFramesThenEnd() {
        client.send("""
                {"type":"run","requestId":"r1","assistantId":"asst_text","threadId":"thread_1","input":"Hello",
                 "model":"gpt-4o","temperature":0.5,"metadata":{"k":"v"},"toolChoice":"auto",
                 "truncationStrategy":{"type":"last_messages","lastMessages":4},"parallelToolCalls":true}""");

        List<JsonNode> frames = client.stream("r1");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly(
                "status", "status", "start", "chunk", "chunk", "chunk", "chunk", "message_done", "status", "end");
        assertThat(frames.get(2).get("message").asString()).isEqualTo("Assistant started generating text.");
        assertThat(frames.subList(3, 7)).extracting(frame -> text(frame, "message"))
                .containsExactly("Hello", ", ", "world", "!");
        assertThat(frames).allSatisfy(frame -> {
            assertThat(text(frame, "threadId")).isEqualTo("thread_1");
            assertThat(text(frame, "runId")).isEqualTo("run_text");
        });
        JsonNode done = frames.get(7);
        assertThat(text(done, "text")).isEqualTo("Hello, world!");
        assertThat(done.get("annotations").get(0).get("type").asString()).isEqualTo("file_citation");
        JsonNode end = frames.getLast();
        assertThat(text(end, "status")).isEqualTo("completed");
        assertThat(end.get("usage").get("totalTokens").asLong()).isEqualTo(42);
        var command = server.fakes.startRunCalls.getLast();
        assertThat(command.additionalMessages()).containsExactly(MessageInput.user("Hello"));
        assertThat(command.options().model()).isEqualTo("gpt-4o");
        assertThat(command.options().settings().temperature()).isEqualTo(0.5);
        assertThat(command.options().settings().truncationStrategy().lastMessages()).isEqualTo(4);
        assertThat(command.options().metadata()).containsEntry("k", "v");
    }

    @Test
    void runWithoutThread_createsThreadAndRun_andFramesCarryTheNewThread() {
        client.send("{\"type\":\"run\",\"requestId\":\"r2\",\"assistantId\":\"asst_text\",\"input\":\"Hi\"}");

        List<JsonNode> frames = client.stream("r2");

        assertWellFormedStream(frames);
        assertThat(frames).allSatisfy(frame -> assertThat(text(frame, "threadId")).isEqualTo("thread_new"));
        assertThat(server.fakes.startThreadAndRunCalls.getLast().messages()).containsExactly(MessageInput.user("Hi"));
    }

    @Test
    void codeInterpreterRun_streamsToolCallCodeInputAndOutputs() {
        client.send("{\"type\":\"run\",\"requestId\":\"c1\",\"assistantId\":\"asst_code\",\"threadId\":\"thread_1\","
                + "\"tools\":[{\"type\":\"code_interpreter\"}]}");

        List<JsonNode> frames = client.stream("c1");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly("status", "tool_call", "code_input", "code_input", "code_output",
                "code_output", "start", "chunk", "message_done", "status", "end");
        assertThat(text(frames.get(1), "message")).isEqualTo("code_interpreter");
        assertThat(text(frames.get(1), "toolCallId")).isEqualTo("call_code");
        assertThat(text(frames.get(2), "message") + text(frames.get(3), "message")).isEqualTo("print(1 + 1)");
        assertThat(text(frames.get(4), "message")).isEqualTo("2\n");
        assertThat(text(frames.get(5), "imageFileId")).isEqualTo("file_img");
        assertThat(frames.get(5).has("message")).isFalse();
    }

    @Test
    void functionCall_endsRequiringAction_thenSubmitToolOutputsStreamsTheRest() {
        client.send("{\"type\":\"run\",\"requestId\":\"f1\",\"assistantId\":\"asst_function\",\"threadId\":\"thread_1\"}");

        List<JsonNode> first = client.stream("f1");

        assertWellFormedStream(first);
        assertThat(types(first)).containsExactly(
                "status", "tool_call", "function_call", "function_call", "requires_action", "status", "end");
        assertThat(text(first.get(1), "message")).isEqualTo("function");
        assertThat(text(first.get(2), "name")).isEqualTo("get_weather");
        assertThat(text(first.get(2), "arguments") + text(first.get(3), "arguments")).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode toolCall = first.get(4).get("toolCalls").get(0);
        assertThat(text(toolCall, "id")).isEqualTo("call_weather");
        assertThat(text(toolCall, "name")).isEqualTo("get_weather");
        assertThat(text(toolCall, "arguments")).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(text(first.getLast(), "status")).isEqualTo("requires_action");

        client.send("{\"type\":\"submit_tool_outputs\",\"requestId\":\"f2\",\"threadId\":\"thread_1\","
                + "\"runId\":\"run_function\",\"toolOutputs\":[{\"toolCallId\":\"call_weather\",\"output\":\"sunny\"}]}");
        List<JsonNode> second = client.stream("f2");

        assertWellFormedStream(second);
        assertThat(second).allSatisfy(frame -> assertThat(text(frame, "runId")).isEqualTo("run_function"));
        assertThat(text(second.getLast(), "status")).isEqualTo("completed");
        assertThat(server.fakes.submitCalls.getLast().toolOutputs().getFirst().output()).isEqualTo("sunny");
    }

    @Test
    void cancel_answersWithTheRun_andTheStreamEndsCancelled() {
        client.send("{\"type\":\"run\",\"requestId\":\"k1\",\"assistantId\":\"asst_cancellable\",\"threadId\":\"thread_1\"}");
        client.awaitFrame(frame -> "k1".equals(text(frame, "requestId")) && "chunk".equals(text(frame, "type")),
                RunsWebSocketTestClient.DEFAULT_TIMEOUT);

        client.send("{\"type\":\"cancel\",\"requestId\":\"k2\",\"threadId\":\"thread_1\",\"runId\":\"run_cancellable\"}");
        JsonNode result = client.reply("k2");
        List<JsonNode> frames = client.stream("k1");

        assertThat(text(result, "type")).isEqualTo("result");
        assertThat(text(result.get("data"), "status")).isEqualTo("cancelling");
        assertWellFormedStream(frames);
        assertThat(text(frames.getLast(), "status")).isEqualTo("cancelled");
        assertThat(types(frames)).contains("status").endsWith("status", "status", "end");
    }

    @Test
    void concurrentRuns_onOneSocket_areToldApartByRequestId() {
        IntStream.rangeClosed(1, 4).forEach(i -> client.send("{\"type\":\"run\",\"requestId\":\"p" + i
                + "\",\"assistantId\":\"asst_slow\",\"threadId\":\"thread_1\"}"));

        for (int i = 1; i <= 4; i++) {
            List<JsonNode> frames = client.stream("p" + i);
            assertWellFormedStream(frames);
            assertThat(frames).filteredOn(frame -> "chunk".equals(text(frame, "type"))).hasSize(20);
            assertThat(text(frames.getLast(), "status")).isEqualTo("completed");
        }
        // The streams really overlapped: the first chunk of p4 came before the end of p1.
        List<String> order = client.frames().stream()
                .map(frame -> text(frame, "requestId") + ":" + text(frame, "type")).toList();
        assertThat(order.indexOf("p4:chunk")).isLessThan(order.indexOf("p1:end"));
    }

    @Test
    void fifthStream_isRefusedWithTooManyStreams_andTheOthersGoOn() {
        IntStream.rangeClosed(1, 4).forEach(i -> client.send("{\"type\":\"run\",\"requestId\":\"q" + i
                + "\",\"assistantId\":\"asst_slow\",\"threadId\":\"thread_1\"}"));
        client.send("{\"type\":\"run\",\"requestId\":\"q5\",\"assistantId\":\"asst_slow\",\"threadId\":\"thread_1\"}");

        JsonNode refused = client.reply("q5");

        assertThat(text(refused, "type")).isEqualTo("error");
        assertThat(text(refused, "code")).isEqualTo("too_many_streams");
        assertThat(refused.get("retryable").asBoolean()).isTrue();
        assertThat(refused.has("seq")).isFalse();
        for (int i = 1; i <= 4; i++) {
            assertWellFormedStream(client.stream("q" + i));
        }
        // Once they ended, a new stream is welcome again.
        client.send("{\"type\":\"run\",\"requestId\":\"q6\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");
        assertWellFormedStream(client.stream("q6"));
    }

    @Test
    void sameRequestIdWhileStreaming_isRefused() {
        client.send("{\"type\":\"run\",\"requestId\":\"d1\",\"assistantId\":\"asst_slow\",\"threadId\":\"thread_1\"}");
        client.send("{\"type\":\"run\",\"requestId\":\"d1\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\"}");

        JsonNode refused = client.awaitFrame(frame -> "error".equals(text(frame, "type")),
                RunsWebSocketTestClient.DEFAULT_TIMEOUT);

        assertThat(text(refused, "code")).isEqualTo("invalid_request");
        assertThat(text(refused, "field")).isEqualTo("requestId");
        assertWellFormedStream(client.stream("d1"));
    }

    @Test
    void providerError_midStream_isAnErrorFrameThenEnd() {
        client.send("{\"type\":\"run\",\"requestId\":\"e1\",\"assistantId\":\"asst_failing\",\"threadId\":\"thread_1\"}");

        List<JsonNode> frames = client.stream("e1");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly("status", "chunk", "error", "end");
        JsonNode error = frames.get(2);
        assertThat(text(error, "code")).isEqualTo("provider_unavailable");
        assertThat(error.get("retryable").asBoolean()).isTrue();
        assertThat(text(frames.getLast(), "error")).isEqualTo("provider_unavailable");
    }

    @Test
    void notFoundBeforeAnyEvent_isAnErrorFrameThenEnd() {
        client.send("{\"type\":\"run\",\"requestId\":\"e2\",\"assistantId\":\"asst_unknown\",\"threadId\":\"thread_1\"}");

        List<JsonNode> frames = client.stream("e2");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly("error", "end");
        assertThat(text(frames.getFirst(), "code")).isEqualTo("not_found");
        assertThat(frames.getFirst().get("retryable").asBoolean()).isFalse();
    }

    @Test
    void unexpectedException_isInternalWithoutDetails() {
        client.send("{\"type\":\"run\",\"requestId\":\"e3\",\"assistantId\":\"asst_broken\",\"threadId\":\"thread_1\"}");

        List<JsonNode> frames = client.stream("e3");

        assertWellFormedStream(frames);
        JsonNode error = frames.get(1);
        assertThat(text(error, "code")).isEqualTo("internal");
        assertThat(frames.toString()).doesNotContain(FakeRunUseCases.SECRET).doesNotContain("Exception")
                .doesNotContain("at dev.");
    }

    @Test
    void upstreamEndingWithoutDone_isStreamInterruptedThenEnd() {
        client.send("{\"type\":\"run\",\"requestId\":\"e4\",\"assistantId\":\"asst_truncated\",\"threadId\":\"thread_1\"}");

        List<JsonNode> frames = client.stream("e4");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly("status", "chunk", "error", "end");
        assertThat(text(frames.get(2), "code")).isEqualTo("stream_interrupted");
    }

    @Test
    void runFailedAtProvider_isStatusFailedWithLastError_thenEndFailed() {
        client.send("{\"type\":\"run\",\"requestId\":\"e5\",\"assistantId\":\"asst_failed_run\",\"threadId\":\"thread_1\"}");

        List<JsonNode> frames = client.stream("e5");

        assertWellFormedStream(frames);
        assertThat(types(frames)).containsExactly("status", "status", "end");
        assertThat(text(frames.get(1).get("lastError"), "code")).isEqualTo("server_error");
        assertThat(text(frames.getLast(), "status")).isEqualTo("failed");
    }

    @Test
    void getRun_answersWithTheRun() {
        client.send("{\"type\":\"get_run\",\"requestId\":\"g1\",\"threadId\":\"thread_1\",\"runId\":\"run_1\"}");

        JsonNode result = client.reply("g1");

        assertThat(text(result, "type")).isEqualTo("result");
        JsonNode run = result.get("data");
        assertThat(text(run, "id")).isEqualTo("run_1");
        assertThat(text(run, "status")).isEqualTo("completed");
        assertThat(run.get("createdAt").asLong()).isEqualTo(1767225600L);
        assertThat(run.get("usage").get("totalTokens").asLong()).isEqualTo(42);
        assertThat(text(run.get("metadata"), "topic")).isEqualTo("weather");
    }

    @Test
    void getRun_ofMissingRun_isNotFound() {
        client.send("{\"type\":\"get_run\",\"requestId\":\"g2\",\"threadId\":\"thread_1\",\"runId\":\"run_missing\"}");

        JsonNode error = client.reply("g2");

        assertThat(text(error, "type")).isEqualTo("error");
        assertThat(text(error, "code")).isEqualTo("not_found");
    }

    @Test
    void getRun_failingUnexpectedly_isInternalWithoutTheSecret() {
        client.send("{\"type\":\"get_run\",\"requestId\":\"g3\",\"threadId\":\"thread_1\",\"runId\":\"run_broken\"}");

        JsonNode error = client.reply("g3");

        assertThat(text(error, "code")).isEqualTo("internal");
        assertThat(error.toString()).doesNotContain(FakeRunUseCases.SECRET);
    }

    @Test
    void listRuns_answersWithAPage() {
        client.send("{\"type\":\"list_runs\",\"requestId\":\"l1\",\"threadId\":\"thread_1\",\"limit\":1,\"order\":\"asc\"}");

        JsonNode page = client.reply("l1").get("data");

        assertThat(page.get("data")).hasSize(1);
        assertThat(text(page.get("data").get(0), "id")).isEqualTo("run_b");
        assertThat(text(page, "firstId")).isEqualTo("run_b");
        assertThat(page.get("hasMore").asBoolean()).isFalse();
    }

    @Test
    void updateRun_answersWithTheNewMetadata() {
        client.send("{\"type\":\"update_run\",\"requestId\":\"u1\",\"threadId\":\"thread_1\",\"runId\":\"run_1\","
                + "\"metadata\":{\"reviewed\":\"yes\"}}");

        JsonNode run = client.reply("u1").get("data");

        assertThat(text(run.get("metadata"), "reviewed")).isEqualTo("yes");
    }

    @Test
    void listSteps_answersWithStepsAndTheirToolCalls() {
        client.send("{\"type\":\"list_steps\",\"requestId\":\"s1\",\"threadId\":\"thread_1\",\"runId\":\"run_1\"}");

        JsonNode page = client.reply("s1").get("data");

        JsonNode code = page.get("data").get(0);
        assertThat(text(code, "type")).isEqualTo("tool_calls");
        JsonNode call = code.get("details").get("toolCalls").get(0);
        assertThat(text(call, "type")).isEqualTo("code_interpreter");
        assertThat(text(call, "input")).isEqualTo("print(1 + 1)");
        assertThat(text(call.get("outputs").get(1), "imageFileId")).isEqualTo("file_img");
        assertThat(text(page.get("data").get(1).get("details"), "messageId")).isEqualTo("msg_1");
        assertThat(page.get("hasMore").asBoolean()).isTrue();
    }

    @Test
    void getStep_answersWithTheStep() {
        client.send("{\"type\":\"get_step\",\"requestId\":\"s2\",\"threadId\":\"thread_1\",\"runId\":\"run_1\","
                + "\"stepId\":\"step_message\",\"include\":[\"step_details.tool_calls[*].file_search.results[*].content\"]}");

        JsonNode step = client.reply("s2").get("data");

        assertThat(text(step, "id")).isEqualTo("step_message");
        assertThat(text(step, "status")).isEqualTo("completed");
        assertThat(text(step.get("details"), "type")).isEqualTo("message_creation");
    }

    @Test
    void properties_bindToTheDocumentedDefaults() {
        assertThat(server.context.getBean(RunsWebSocketProperties.class)).isEqualTo(RunsWebSocketProperties.defaults());
    }

    @Test
    void ping_isAnsweredWithPong() {
        client.send("{\"type\":\"ping\",\"requestId\":\"hb\"}");
        client.send("{\"type\":\"ping\"}");

        assertThat(text(client.reply("hb"), "type")).isEqualTo("pong");
        assertThat(client.nextOfType("pong").has("requestId")).isFalse();
    }
}
