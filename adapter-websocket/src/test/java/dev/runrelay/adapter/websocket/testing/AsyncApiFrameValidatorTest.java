package dev.runrelay.adapter.websocket.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.runrelay.adapter.websocket.testing.AsyncApiFrameValidator.Direction;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The frame schemas of docs/asyncapi.yaml: they accept the protocol's frames and reject mistakes. */
class AsyncApiFrameValidatorTest {

    private final AsyncApiFrameValidator protocol = AsyncApiFrameValidator.runsProtocol();

    @Test
    void theDocumentDefinesEveryFrameTypeOfTheProtocol() {
        assertThat(protocol.types(Direction.CLIENT)).containsExactlyInAnyOrder("run", "submit_tool_outputs",
                "cancel", "get_run", "list_runs", "update_run", "list_steps", "get_step", "ping", "resume");
        assertThat(protocol.types(Direction.SERVER)).containsExactlyInAnyOrder("start", "chunk", "tool_call",
                "code_input", "code_output", "status", "function_call", "requires_action", "message_done", "end",
                "result", "error", "pong");
    }

    /** Every one-line JSON example of docs/protocol.md conforms (as a client frame when its type is one). */
    @Test
    void everyExampleOfProtocolMdConforms() throws IOException {
        String prose = Files.readString(Path.of("..", "docs", "protocol.md"));
        var clientTypes = protocol.types(Direction.CLIENT);
        var typeOf = Pattern.compile("^\\{\"type\":\"([a-z_]+)\"");
        var examples = new ArrayList<String>();
        var matcher = Pattern.compile("(?m)^ ?(\\{\"type\":.*\\})\\s*$").matcher(prose);
        while (matcher.find()) {
            String frame = matcher.group(1);
            var type = typeOf.matcher(frame);
            Direction direction = type.find() && clientTypes.contains(type.group(1)) ? Direction.CLIENT : Direction.SERVER;
            if (!frame.contains("…")) { // examples elided with … are not complete frames
                examples.add(frame);
                assertThat(protocol.problems(direction, frame)).as(frame).isEmpty();
            }
        }
        assertThat(examples).hasSizeGreaterThan(20);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // a typo in a field name
        "{\"type\":\"chunk\",\"requestId\":\"r1\",\"seq\":1,\"mesage\":\"Hi\"}",
        // seq must be a positive integer
        "{\"type\":\"chunk\",\"requestId\":\"r1\",\"seq\":0,\"message\":\"Hi\"}",
        "{\"type\":\"chunk\",\"requestId\":\"r1\",\"seq\":\"1\",\"message\":\"Hi\"}",
        // a stream frame without requestId
        "{\"type\":\"end\",\"seq\":3,\"status\":\"completed\"}",
        // an unknown run status
        "{\"type\":\"status\",\"requestId\":\"r1\",\"seq\":1,\"status\":\"done\"}",
        // null instead of leaving the field out
        "{\"type\":\"end\",\"requestId\":\"r1\",\"seq\":1,\"usage\":null}",
        // an error without retryable
        "{\"type\":\"error\",\"code\":\"frame_too_large\",\"message\":\"Too large.\"}",
        // code_output with both logs and an image
        "{\"type\":\"code_output\",\"requestId\":\"r1\",\"seq\":2,\"message\":\"2\",\"imageFileId\":\"file_1\"}",
        // a frame type the protocol does not have
        "{\"type\":\"delta\",\"requestId\":\"r1\",\"seq\":1}",
        // a result whose data is none of run, step, page
        "{\"type\":\"result\",\"requestId\":\"r1\",\"data\":{\"id\":\"run_1\",\"status\":\"completed\",\"colour\":\"red\"}}",
    })
    void rejectsServerFramesThatBreakTheProtocol(String frame) {
        assertThat(protocol.problems(Direction.SERVER, frame)).isNotEmpty();
        assertThatThrownBy(() -> protocol.assertValid(Direction.SERVER, frame))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("does not match docs/asyncapi.yaml");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"type\":\"run\",\"requestId\":\"r1\",\"input\":\"Hi\"}", // no assistantId
        "{\"type\":\"run\",\"requestId\":\"r1\",\"assistantId\":\"a\",\"threadId\":\"../x\"}",
        "{\"type\":\"run\",\"requestId\":\"\",\"assistantId\":\"a\"}",
        "{\"type\":\"run\",\"requestId\":\"r1\",\"assistantId\":\"a\",\"toolChoice\":\"sometimes\"}",
        "{\"type\":\"run\",\"requestId\":\"r1\",\"assistantId\":\"a\",\"tools\":[{\"type\":\"function\"}]}",
        "{\"type\":\"submit_tool_outputs\",\"requestId\":\"r1\",\"threadId\":\"t\",\"runId\":\"r\",\"toolOutputs\":[{\"id\":\"c\",\"output\":\"x\"}]}",
        "{\"type\":\"list_runs\",\"requestId\":\"r1\",\"threadId\":\"t\",\"order\":\"up\"}",
        "{\"type\":\"cancel\",\"requestId\":\"r1\",\"runId\":\"run_1\"}",
        "{\"type\":\"resume\",\"requestId\":\"r1\",\"runId\":\"run_1\",\"afterSeq\":-1}",
        "{\"type\":\"chunk\",\"requestId\":\"r1\",\"seq\":1,\"message\":\"a server frame\"}",
        "not json",
    })
    void rejectsClientFramesThatBreakTheProtocol(String frame) {
        assertThat(protocol.problems(Direction.CLIENT, frame)).isNotEmpty();
    }

    @Test
    void acceptsAFullRunRequestAndTheFramesOfAStream() {
        List<String> client = List.of(
                "{\"type\":\"run\",\"requestId\":\"c1\",\"assistantId\":\"asst_abc\",\"input\":\"Plot\","
                        + "\"tools\":[{\"type\":\"code_interpreter\"},{\"type\":\"file_search\",\"maxNumResults\":5},"
                        + "{\"type\":\"function\",\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\"},\"strict\":true}],"
                        + "\"toolChoice\":{\"type\":\"function\",\"name\":\"get_weather\"},"
                        + "\"truncationStrategy\":{\"type\":\"last_messages\",\"lastMessages\":10}}",
                "{\"type\":\"resume\",\"requestId\":\"c2\",\"runId\":\"run_1\",\"afterSeq\":0}",
                "{\"type\":\"ping\"}");
        client.forEach(frame -> assertThat(protocol.problems(Direction.CLIENT, frame)).as(frame).isEmpty());
        List<String> server = List.of(
                "{\"type\":\"error\",\"code\":\"frame_too_large\",\"message\":\"Too large.\",\"retryable\":false}",
                "{\"type\":\"end\",\"requestId\":\"r1\",\"seq\":2,\"error\":\"slow_consumer\"}",
                "{\"type\":\"result\",\"requestId\":\"r1\",\"data\":{\"data\":[],\"hasMore\":false}}");
        server.forEach(frame -> assertThat(protocol.problems(Direction.SERVER, frame)).as(frame).isEmpty());
    }
}
