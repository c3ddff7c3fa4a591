package dev.runrelay.adapter.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of every client frame, given a value of the wrong JSON type, is {@code invalid_request}
 * naming that field: nothing is coerced ({@code 42} is not the string "42", {@code "0.5"} is not a number,
 * {@code "true"} is not a boolean, {@code 1.5} is not an integer).
 */
class RunsMessageDecoderStrictTypesTest {

    private final RunsMessageDecoder decoder = new RunsMessageDecoder(new FrameCodec().mapper());

    /** A valid frame per type; each case replaces or adds one field. */
    private static final String RUN = "\"type\":\"run\",\"requestId\":\"r\",\"assistantId\":\"asst_1\"";
    private static final String RUN_ON_THREAD = RUN + ",\"threadId\":\"thread_1\"";
    private static final String SUBMIT = "\"type\":\"submit_tool_outputs\",\"requestId\":\"r\",\"threadId\":\"t\","
            + "\"runId\":\"run_1\"";
    private static final String REF_CANCEL = "\"type\":\"cancel\",\"requestId\":\"r\"";
    private static final String REF_GET = "\"type\":\"get_run\",\"requestId\":\"r\"";
    private static final String LIST_RUNS = "\"type\":\"list_runs\",\"requestId\":\"r\",\"threadId\":\"t\"";
    private static final String UPDATE = "\"type\":\"update_run\",\"requestId\":\"r\",\"threadId\":\"t\",\"runId\":\"x\"";
    private static final String LIST_STEPS = "\"type\":\"list_steps\",\"requestId\":\"r\",\"threadId\":\"t\","
            + "\"runId\":\"x\"";
    private static final String GET_STEP = "\"type\":\"get_step\",\"requestId\":\"r\",\"threadId\":\"t\","
            + "\"runId\":\"x\",\"stepId\":\"s\"";

    static Stream<Arguments> wrongTypes() {
        var cases = new ArrayList<Arguments>();
        // run: strings
        for (String field : List.of("threadId", "input", "model", "instructions", "additionalInstructions",
                "responseFormat")) {
            for (String value : List.of("42", "true", "1.5", "{}", "[]")) {
                cases.add(Arguments.of(frame(RUN, field, value), field));
            }
        }
        for (String value : List.of("42", "true", "0.5", "{}", "[\"asst_1\"]")) {
            cases.add(Arguments.of("{\"type\":\"run\",\"requestId\":\"r\",\"assistantId\":" + value + "}",
                    "assistantId"));
        }
        // run: numbers and booleans
        for (String field : List.of("temperature", "topP")) {
            for (String value : List.of("\"0.5\"", "true", "{}", "[0.5]")) {
                cases.add(Arguments.of(frame(RUN, field, value), field));
            }
        }
        for (String field : List.of("maxPromptTokens", "maxCompletionTokens")) {
            for (String value : List.of("\"1000\"", "1000.5", "true", "[]")) {
                cases.add(Arguments.of(frame(RUN, field, value), field));
            }
        }
        for (String value : List.of("\"true\"", "1", "0", "{}")) {
            cases.add(Arguments.of(frame(RUN, "parallelToolCalls", value), "parallelToolCalls"));
        }
        // run: maps of strings
        for (String field : List.of("metadata", "threadMetadata")) {
            cases.add(Arguments.of(frame(RUN, field, "{\"k\":1}"), field + ".k"));
            cases.add(Arguments.of(frame(RUN, field, "{\"k\":true}"), field + ".k"));
            cases.add(Arguments.of(frame(RUN, field, "{\"k\":{}}"), field + ".k"));
            cases.add(Arguments.of(frame(RUN, field, "\"k=v\""), field));
            cases.add(Arguments.of(frame(RUN, field, "[]"), field));
        }
        cases.add(Arguments.of(frame(RUN, "metadata", "{\"k\":null}"), "metadata.k"));
        // run: nested tools and truncation
        cases.add(Arguments.of(frame(RUN, "tools", "[{\"type\":7}]"), "tools[0].type"));
        cases.add(Arguments.of(frame(RUN, "tools", "[{\"type\":\"file_search\",\"maxNumResults\":\"5\"}]"),
                "tools[0].maxNumResults"));
        cases.add(Arguments.of(frame(RUN, "tools", "[{\"type\":\"function\",\"name\":1}]"), "tools[0].name"));
        cases.add(Arguments.of(frame(RUN, "tools", "[{\"type\":\"function\",\"name\":\"f\",\"description\":false}]"),
                "tools[0].description"));
        cases.add(Arguments.of(frame(RUN, "tools", "[{\"type\":\"function\",\"name\":\"f\",\"strict\":\"true\"}]"),
                "tools[0].strict"));
        cases.add(Arguments.of(frame(RUN, "tools", "\"code_interpreter\""), "tools"));
        cases.add(Arguments.of(frame(RUN, "truncationStrategy", "{\"type\":1}"), "truncationStrategy.type"));
        cases.add(Arguments.of(frame(RUN, "truncationStrategy", "{\"type\":\"last_messages\",\"lastMessages\":\"3\"}"),
                "truncationStrategy.lastMessages"));
        cases.add(Arguments.of(frame(RUN, "truncationStrategy", "\"auto\""), "truncationStrategy"));
        cases.add(Arguments.of(frame(RUN, "toolChoice", "1"), "toolChoice"));
        cases.add(Arguments.of(frame(RUN, "toolChoice", "{\"type\":\"function\",\"name\":2}"), "toolChoice"));
        cases.add(Arguments.of(frame(RUN_ON_THREAD, "input", "7"), "input"));
        // submit_tool_outputs
        cases.add(Arguments.of(frame(SUBMIT, "toolOutputs", "[{\"toolCallId\":1,\"output\":\"x\"}]"),
                "toolOutputs[0].toolCallId"));
        cases.add(Arguments.of(frame(SUBMIT, "toolOutputs", "[{\"toolCallId\":\"c\",\"output\":42}]"),
                "toolOutputs[0].output"));
        cases.add(Arguments.of(frame(SUBMIT, "toolOutputs", "[{\"toolCallId\":\"c\",\"output\":{\"a\":1}}]"),
                "toolOutputs[0].output"));
        cases.add(Arguments.of(frame(SUBMIT, "toolOutputs", "{\"toolCallId\":\"c\",\"output\":\"x\"}"),
                "toolOutputs"));
        cases.add(Arguments.of("{\"type\":\"submit_tool_outputs\",\"requestId\":\"r\",\"threadId\":1,\"runId\":\"x\","
                + "\"toolOutputs\":[{\"toolCallId\":\"c\",\"output\":\"x\"}]}", "threadId"));
        cases.add(Arguments.of("{\"type\":\"submit_tool_outputs\",\"requestId\":\"r\",\"threadId\":\"t\",\"runId\":2,"
                + "\"toolOutputs\":[{\"toolCallId\":\"c\",\"output\":\"x\"}]}", "runId"));
        // cancel, get_run
        for (String base : List.of(REF_CANCEL, REF_GET)) {
            cases.add(Arguments.of("{" + base + ",\"threadId\":1,\"runId\":\"x\"}", "threadId"));
            cases.add(Arguments.of("{" + base + ",\"threadId\":\"t\",\"runId\":true}", "runId"));
        }
        // list_runs, list_steps
        for (String base : List.of(LIST_RUNS, LIST_STEPS)) {
            cases.add(Arguments.of(frame(base, "limit", "\"5\""), "limit"));
            cases.add(Arguments.of(frame(base, "limit", "5.5"), "limit"));
            cases.add(Arguments.of(frame(base, "order", "1"), "order"));
            cases.add(Arguments.of(frame(base, "after", "10"), "after"));
            cases.add(Arguments.of(frame(base, "before", "false"), "before"));
        }
        cases.add(Arguments.of("{\"type\":\"list_runs\",\"requestId\":\"r\",\"threadId\":7}", "threadId"));
        cases.add(Arguments.of(frame(LIST_STEPS, "include", "[1]"), "include[0]"));
        cases.add(Arguments.of(frame(LIST_STEPS, "include", "\"step_details\""), "include"));
        // update_run
        cases.add(Arguments.of(frame(UPDATE, "metadata", "{\"k\":1}"), "metadata.k"));
        cases.add(Arguments.of(frame(UPDATE, "metadata", "[\"k\"]"), "metadata"));
        // get_step
        cases.add(Arguments.of("{\"type\":\"get_step\",\"requestId\":\"r\",\"threadId\":\"t\",\"runId\":\"x\","
                + "\"stepId\":5}", "stepId"));
        cases.add(Arguments.of(frame(GET_STEP, "include", "[true]"), "include[0]"));
        return cases.stream();
    }

    @ParameterizedTest(name = "{1}: {0}")
    @MethodSource("wrongTypes")
    void fieldOfTheWrongJsonType_isInvalidRequestNamingTheField(String frame, String field) {
        assertThatThrownBy(() -> decoder.decode(frame.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(ProtocolException.class, e -> {
                    assertThat(e.code()).isEqualTo(ProtocolException.INVALID_REQUEST);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).startsWith(field + ": ").doesNotContain("java.").doesNotContain("`");
                    assertThat(e.requestId()).isEqualTo("r");
                });
    }

    static Stream<Arguments> rightTypes() {
        return Stream.of(
                Arguments.of(frame(RUN, "temperature", "1")),
                Arguments.of(frame(RUN, "topP", "0")),
                Arguments.of(frame(RUN, "maxPromptTokens", "1000")),
                Arguments.of(frame(RUN, "parallelToolCalls", "false")),
                Arguments.of(frame(RUN, "metadata", "{\"k\":\"1\"}")),
                Arguments.of(frame(RUN, "input", "\"42\"")));
    }

    @ParameterizedTest
    @MethodSource("rightTypes")
    void valuesOfTheRightJsonType_decode(String frame) {
        assertThat(decoder.decode(frame.getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    private static String frame(String base, String field, String value) {
        return "{" + base + ",\"" + field + "\":" + value + "}";
    }
}
