package dev.runrelay.adapter.websocket;

import static dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient.text;
import static org.assertj.core.api.Assertions.assertThat;

import dev.runrelay.adapter.websocket.testing.RunsWebSocketTestClient;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Every kind of bad frame gets one error frame with a stable code, and the socket stays usable. */
class RunsWebSocketBadInputIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
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
    void notJson_isInvalidJson_andTheSocketStaysUsable() {
        client.sendNonConforming("this is not json {");

        JsonNode error = client.nextOfType("error");

        assertThat(text(error, "code")).isEqualTo("invalid_json");
        assertStillUsable();
    }

    @Test
    void trailingGarbageAfterAnObject_isInvalidJson() {
        client.sendNonConforming("{\"type\":\"ping\"} {\"type\":\"ping\"}");

        assertThat(text(client.nextOfType("error"), "code")).isEqualTo("invalid_json");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[1,2,3]", "42", "\"run\"", "null", "true"})
    void jsonThatIsNotAnObject_isInvalidRequestNamingTheFrame(String frame) {
        client.sendNonConforming(frame);

        JsonNode error = client.nextOfType("error");

        assertThat(text(error, "code")).isEqualTo("invalid_request");
        assertThat(text(error, "field")).isEqualTo("frame");
        assertStillUsable();
    }

    @Test
    void unknownType_isUnknownTypeWithTheRequestId() {
        client.sendNonConforming("{\"type\":\"dance\",\"requestId\":\"x1\"}");

        JsonNode error = client.reply("x1");

        assertThat(text(error, "code")).isEqualTo("unknown_type");
        assertThat(error.get("retryable").asBoolean()).isFalse();
        assertStillUsable();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "{\"requestId\":\"m1\"}|type",
        "{\"type\":7,\"requestId\":\"m1\"}|type",
        "{\"type\":\"run\",\"assistantId\":\"asst_text\"}|requestId",
        "{\"type\":\"run\",\"requestId\":{\"a\":1},\"assistantId\":\"asst_text\"}|requestId",
        "{\"type\":\"run\",\"requestId\":\"m1\"}|assistantId",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst text!\"}|assistantId",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"threadId\":\"../../etc\"}|threadId",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"temperature\":\"hot\"}|temperature",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"temperature\":5}|temperature",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"maxPromptTokens\":10}|maxPromptTokens",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"input\":\"  \"}|input",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"tools\":[{\"type\":\"shell\"}]}|tools[0].type",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"tools\":{\"type\":\"shell\"}}|tools",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"toolChoice\":\"sometimes\"}|toolChoice",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"responseFormat\":\"xml\"}|responseFormat",
        "{\"type\":\"run\",\"requestId\":\"m1\",\"assistantId\":\"asst_text\",\"metadata\":[1]}|metadata",
        "{\"type\":\"submit_tool_outputs\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\"}|toolOutputs",
        "{\"type\":\"submit_tool_outputs\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\",\"toolOutputs\":[{\"toolCallId\":\"bad id\",\"output\":\"x\"}]}|toolOutputs[0].toolCallId",
        "{\"type\":\"submit_tool_outputs\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\",\"toolOutputs\":[{\"toolCallId\":\"c\"}]}|toolOutputs[0].output",
        "{\"type\":\"cancel\",\"requestId\":\"m1\",\"threadId\":\"t\"}|runId",
        "{\"type\":\"get_run\",\"requestId\":\"m1\",\"runId\":\"r\"}|threadId",
        "{\"type\":\"list_runs\",\"requestId\":\"m1\",\"threadId\":\"t\",\"limit\":500}|limit",
        "{\"type\":\"list_runs\",\"requestId\":\"m1\",\"threadId\":\"t\",\"order\":\"sideways\"}|order",
        "{\"type\":\"update_run\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\"}|metadata",
        "{\"type\":\"get_step\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\"}|stepId",
        "{\"type\":\"list_steps\",\"requestId\":\"m1\",\"threadId\":\"t\",\"runId\":\"r\",\"include\":[\"everything\"]}|include[0]",
    })
    void missingOrMalformedField_isInvalidRequestNamingTheField(String frame, String field) {
        client.sendNonConforming(frame);

        JsonNode error = client.nextOfType("error");

        assertThat(text(error, "code")).isEqualTo("invalid_request");
        assertThat(text(error, "field")).isEqualTo(field);
        assertThat(text(error, "message")).contains(field);
        assertThat(error.has("seq")).isFalse();
        assertStillUsable();
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "{\"type\":\"run\",\"requestId\":\"w1\",\"assistantId\":42,\"input\":\"hi\"}|assistantId",
        "{\"type\":\"run\",\"requestId\":\"w1\",\"assistantId\":\"asst_text\",\"input\":7}|input",
        "{\"type\":\"run\",\"requestId\":\"w1\",\"assistantId\":\"asst_text\",\"temperature\":\"0.5\"}|temperature",
        "{\"type\":\"run\",\"requestId\":\"w1\",\"assistantId\":\"asst_text\",\"threadId\":\"thread_1\",\"parallelToolCalls\":\"true\"}|parallelToolCalls",
        "{\"type\":\"run\",\"requestId\":\"w1\",\"assistantId\":\"asst_text\",\"metadata\":{\"k\":1}}|metadata.k",
        "{\"type\":\"submit_tool_outputs\",\"requestId\":\"w1\",\"threadId\":\"t\",\"runId\":\"run_function\",\"toolOutputs\":[{\"toolCallId\":\"c\",\"output\":42}]}|toolOutputs[0].output",
        "{\"type\":\"cancel\",\"requestId\":\"w1\",\"threadId\":\"t\",\"runId\":7}|runId",
    })
    void fieldOfTheWrongJsonType_isInvalidRequest_beforeAnyProviderCall(String frame, String field) {
        int callsBefore = providerCalls();
        client.sendNonConforming(frame);

        JsonNode error = client.reply("w1");

        assertThat(text(error, "type")).isEqualTo("error");
        assertThat(text(error, "code")).isEqualTo("invalid_request");
        assertThat(text(error, "field")).isEqualTo(field);
        assertStillUsable();
        assertThat(providerCalls()).as("use-case calls").isEqualTo(callsBefore);
    }

    private static int providerCalls() {
        return server.fakes.startRunCalls.size() + server.fakes.startThreadAndRunCalls.size()
                + server.fakes.submitCalls.size() + server.fakes.cancelCalls.size();
    }

    @Test
    void frameAboveTheConfiguredMaximum_isFrameTooLarge_andTheSocketStaysUsable() {
        client.sendNonConforming("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");

        JsonNode error = client.nextOfType("error");

        assertThat(text(error, "code")).isEqualTo("frame_too_large");
        assertStillUsable();
    }

    @Test
    void frameAboveTheTransportLimit_closesTheSocketWith1009() throws Exception {
        client.sendNonConforming("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(1100 * 1024) + "\"}");

        assertThat(client.closeCode().get(5, TimeUnit.SECONDS)).isEqualTo(1009);
    }

    @Test
    void binaryFrame_isInvalidJson() {
        client.sendBinary(new byte[] {1, 2, 3});

        assertThat(text(client.nextOfType("error"), "code")).isEqualTo("invalid_json");
        assertStillUsable();
    }

    /**
     * Fuzz: 500 generated junk frames (random text, random JSON values, deep nesting, huge numbers,
     * single-character mutations of valid requests). Each gets exactly one answer, never a stack trace,
     * and the socket and server stay up.
     */
    @Test
    void generatedJunk_everyFrameIsAnswered_andTheServerStaysUp() {
        var random = new Random(20261121L);
        List<String> templates = List.of(
                "{\"type\":\"get_run\",\"requestId\":\"z\",\"threadId\":\"thread_1\",\"runId\":\"run_1\"}",
                "{\"type\":\"list_runs\",\"requestId\":\"z\",\"threadId\":\"thread_1\",\"limit\":5,\"order\":\"asc\"}",
                "{\"type\":\"update_run\",\"requestId\":\"z\",\"threadId\":\"t\",\"runId\":\"r\",\"metadata\":{\"a\":\"b\"}}",
                "{\"type\":\"get_step\",\"requestId\":\"z\",\"threadId\":\"t\",\"runId\":\"r\",\"stepId\":\"s\"}",
                "{\"type\":\"ping\",\"requestId\":\"z\"}");
        for (int i = 0; i < 500; i++) {
            String frame = switch (i % 5) {
                case 0 -> randomText(random, 1 + random.nextInt(200));
                case 1 -> mutate(templates.get(random.nextInt(templates.size())), random);
                case 2 -> "[".repeat(1 + random.nextInt(3000));
                case 3 -> "{\"type\":\"get_run\",\"requestId\":\"z\",\"threadId\":" + randomJsonValue(random) + "}";
                default -> "{\"type\":" + randomJsonValue(random) + ",\"n\":1" + "0".repeat(random.nextInt(2000)) + "}";
            };
            int before = client.frames().size();
            client.sendUnchecked(frame);
            JsonNode answer = client.awaitFrame(any -> true, TIMEOUT);
            assertThat(text(answer, "type")).as("answer to %s", frame).isIn("error", "result", "pong");
            assertThat(answer.toString()).doesNotContain("Exception").doesNotContain("\tat ");
            assertThat(client.frames()).as("one answer per frame").hasSize(before + 1);
        }
        assertStillUsable();
        try (var another = server.connect()) {
            another.send("{\"type\":\"ping\",\"requestId\":\"alive\"}");
            assertThat(text(another.reply("alive"), "type")).isEqualTo("pong");
        }
    }

    private void assertStillUsable() {
        String id = "still-" + System.nanoTime();
        client.send("{\"type\":\"ping\",\"requestId\":\"" + id + "\"}");
        assertThat(text(client.reply(id), "type")).isEqualTo("pong");
        assertThat(client.isOpen()).isTrue();
    }

    private static String randomText(Random random, int length) {
        var text = new StringBuilder();
        while (text.length() < length) {
            int codePoint = random.nextInt(4) == 0 ? 32 + random.nextInt(95) : random.nextInt(0x2FFF);
            if (!Character.isSurrogate((char) codePoint)) {
                text.appendCodePoint(codePoint);
            }
        }
        return text.toString();
    }

    private static String mutate(String template, Random random) {
        var chars = new StringBuilder(template);
        int at = random.nextInt(chars.length());
        switch (random.nextInt(3)) {
            case 0 -> chars.deleteCharAt(at);
            case 1 -> chars.insert(at, "{}[]\",:0aé\\".charAt(random.nextInt(11)));
            default -> chars.setCharAt(at, (char) (32 + random.nextInt(95)));
        }
        return chars.toString();
    }

    private static String randomJsonValue(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> "null";
            case 1 -> "-1e999";
            case 2 -> "\"" + "a".repeat(random.nextInt(300)) + "\"";
            case 3 -> "[" + "{}".repeat(random.nextInt(5)).replace("}{", "},{") + "]";
            case 4 -> "{\"x\":" + random.nextLong() + "}";
            case 5 -> "\"\\ud800\"";
            default -> String.valueOf(random.nextDouble());
        };
    }
}
